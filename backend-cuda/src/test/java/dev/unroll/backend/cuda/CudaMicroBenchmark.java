package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.Locale;
import java.util.Random;

/**
 * Times one LSTM layer on the benchmark shapes with the backend's own building blocks, to see where the time
 * goes: the recurrence launched step by step, the same captured in a graph and replayed, and forward plus BPTT
 * (captured). The whole-sequence path the cells take (the persistent kernel where it fits) is timed by the bench
 * command. A main, not a test: wall-clock numbers are for reading, not asserting. Run on a GPU with
 * {@code ../shared/device/bundle.sh backend-cuda dev.unroll.backend.cuda.CudaMicroBenchmark}.
 */
public final class CudaMicroBenchmark {
    private static final int[][] SHAPES = {
        {50, 1, 256, 256}, {100, 16, 128, 128}, {50, 64, 512, 512}, {25, 32, 1024, 1024}, {25, 128, 2048, 2048},
    };

    private CudaMicroBenchmark() {
    }

    public static void main(String[] args) {
        if (!CudaAvailable.AVAILABILITY.available()) {
            System.out.println("cuda unavailable: " + CudaAvailable.AVAILABILITY.reason());
            return;
        }
        try (CudaBackend cuda = CudaBackend.open(0)) {
            System.out.println("device: " + cuda.deviceName());
            System.out.println("LSTM (T,B,I,H): forward = input GEMM + recurrence; times in ms per pass");
            for (int[] s : SHAPES) {
                try (Layer layer = new Layer(cuda, s[0], s[1], s[2], s[3])) {
                    double direct = time(cuda, layer::forwardPerStep);
                    double graph = time(cuda, () -> cuda.runCaptured(layer, layer::forwardPerStep));
                    String fb = "fb" + System.identityHashCode(layer);
                    double forwardBackward = time(cuda, () -> cuda.runCaptured(fb, () -> {
                        layer.forwardPerStep();
                        layer.backward();
                    }));
                    cuda.forgetCaptured(layer);
                    cuda.forgetCaptured(fb);
                    System.out.printf(Locale.ROOT, "LSTM (%d,%d,%d,%d): forward direct %.4f, graph %.4f;"
                            + " forward+backward graph %.4f%n", s[0], s[1], s[2], s[3], direct, graph, forwardBackward);
                }
            }
        }
    }

    /** Milliseconds per run of {@code pass}, after warm-up, over enough runs to take about a second. */
    private static double time(CudaBackend cuda, Runnable pass) {
        for (int i = 0; i < 3; i++) {
            pass.run();
        }
        cuda.synchronize();
        long start = System.nanoTime();
        int runs = 0;
        do {
            pass.run();
            runs++;
            if (runs % 10 == 0) {
                cuda.synchronize();
            }
        } while (System.nanoTime() - start < 1_000_000_000L || runs % 10 != 0);
        cuda.synchronize();
        return (System.nanoTime() - start) / 1e6 / runs;
    }

    /** One LSTM layer's parameters and workspaces for one shape. */
    private static final class Layer implements AutoCloseable {
        final CudaBackend be;
        final int steps;
        final int batch;
        final Tensor x;        // [T*B, I]
        final Tensor wIh;      // [4H, I]
        final Tensor wHh;      // [4H, H]
        final Tensor bias;     // [4H]
        final Tensor xProj;    // [T*B, 4H]
        final Tensor gates;    // [T*B, 4H]
        final Tensor h0;       // [B, H]
        final Tensor c0;       // [B, H]
        final Tensor cells;    // [T*B, H]
        final Tensor hidden;   // [T*B, H]
        final Tensor dGates;   // [T*B, 4H]
        final Tensor dh;       // [B, H]
        final Tensor dc;       // [B, H]
        final Tensor dWIh;     // [4H, I]
        final Tensor dWHh;     // [4H, H]
        final Tensor dBias;    // [4H]
        final Tensor dx;       // [T*B, I]

        Layer(CudaBackend be, int steps, int batch, int input, int hiddenSize) {
            this.be = be;
            this.steps = steps;
            this.batch = batch;
            Random rnd = new Random(1);
            float scale = (float) (1 / Math.sqrt(hiddenSize));
            x = be.upload(DType.FLOAT32, HostMath.random(rnd, steps * batch * input, 1), steps * batch, input);
            wIh = be.upload(DType.FLOAT32, HostMath.random(rnd, 4 * hiddenSize * input, scale), 4 * hiddenSize, input);
            wHh = be.upload(DType.FLOAT32, HostMath.random(rnd, 4 * hiddenSize * hiddenSize, scale), 4 * hiddenSize,
                    hiddenSize);
            bias = be.upload(DType.FLOAT32, HostMath.random(rnd, 4 * hiddenSize, scale), 4 * hiddenSize);
            xProj = be.allocate(DType.FLOAT32, steps * batch, 4 * hiddenSize);
            gates = be.allocate(DType.FLOAT32, steps * batch, 4 * hiddenSize);
            h0 = be.allocate(DType.FLOAT32, batch, hiddenSize);
            c0 = be.allocate(DType.FLOAT32, batch, hiddenSize);
            cells = be.allocate(DType.FLOAT32, steps * batch, hiddenSize);
            hidden = be.allocate(DType.FLOAT32, steps * batch, hiddenSize);
            dGates = be.allocate(DType.FLOAT32, steps * batch, 4 * hiddenSize);
            dh = be.allocate(DType.FLOAT32, batch, hiddenSize);
            dc = be.allocate(DType.FLOAT32, batch, hiddenSize);
            dWIh = be.allocate(DType.FLOAT32, 4 * hiddenSize, input);
            dWHh = be.allocate(DType.FLOAT32, 4 * hiddenSize, hiddenSize);
            dBias = be.allocate(DType.FLOAT32, 4 * hiddenSize);
            dx = be.allocate(DType.FLOAT32, steps * batch, input);
        }

        private Tensor step(Tensor t, int s) {
            return be.viewRows(t, s * batch, batch);
        }

        private void inputProjection() {
            be.gemm(false, true, 1, x, wIh, 0, xProj);
            be.addRowVector(xProj, bias, xProj);
        }

        void forwardPerStep() {
            inputProjection();
            for (int t = 0; t < steps; t++) {
                Tensor g = step(gates, t);
                be.copy(step(xProj, t), g);
                be.gemm(false, true, 1, t == 0 ? h0 : step(hidden, t - 1), wHh, 1, g);
                be.lstmStepForward(g, t == 0 ? c0 : step(cells, t - 1), step(cells, t), step(hidden, t));
            }
        }

        /** BPTT from dL/dh_T = 1, then the input-side gradients in three large GEMMs. */
        void backward() {
            be.fill(dh, 1);
            be.fill(dc, 0);
            for (int t = steps - 1; t >= 0; t--) {
                Tensor dg = step(dGates, t);
                be.lstmStepBackward(step(gates, t), t == 0 ? c0 : step(cells, t - 1), step(cells, t), dh, dc, dg);
                be.gemm(true, false, 1, dg, t == 0 ? h0 : step(hidden, t - 1), 1, dWHh);
                be.gemm(false, false, 1, dg, wHh, 0, dh);
            }
            be.gemm(true, false, 1, dGates, x, 1, dWIh);
            be.gemm(false, false, 1, dGates, wIh, 0, dx);
            be.columnSums(dGates, 1, dBias);
        }

        @Override
        public void close() {
            for (Tensor t : new Tensor[] {x, wIh, wHh, bias, xProj, gates, h0, c0, cells, hidden, dGates, dh, dc, dWIh,
                dWHh, dBias, dx}) {
                t.close();
            }
        }
    }
}
