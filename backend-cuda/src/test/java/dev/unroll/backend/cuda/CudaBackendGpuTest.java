package dev.unroll.backend.cuda;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;
import dev.unroll.api.UnsupportedDTypeException;
import dev.unroll.api.spi.ForwardingBackend;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.conformance.Tolerance;
import dev.unroll.conformance.Tolerances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The backend's own checks on a GPU, beyond the conformance kit: the SGEMM's transpose cases and edge shapes,
 * row views as kernel arguments, in-place and overlapping copies, NaN handling, fused kernels bit-equal to the
 * composite path, and graph capture. Skipped, with the reason, without a usable GPU.
 */
class CudaBackendGpuTest {
    private static final float EPS = Math.ulp(1f);
    private static CudaBackend cuda;

    @BeforeAll
    static void open() {
        if (CudaAvailable.AVAILABILITY.available()) {
            cuda = CudaBackend.open(0);
        }
    }

    /** Per test rather than per class, so every skipped test is reported with the reason. */
    @BeforeEach
    void needsGpu() {
        CudaAvailable.assumeGpu();
    }

    @AfterAll
    static void close() {
        if (cuda != null) {
            cuda.close();
        }
    }

    private static Tensor upload(float[] values, int... shape) {
        return cuda.upload(DType.FLOAT32, values, shape);
    }

    // ---------------------------------------------------------------- gemm

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @CsvSource({
        "false, false, 1, 1, 1", "true, false, 1, 1, 1", "false, true, 1, 1, 1", "true, true, 1, 1, 1",
        "false, false, 257, 129, 65", "true, false, 257, 129, 65", "false, true, 257, 129, 65", "true, true, 257, 129, 65",
        "false, false, 3, 1024, 300", "false, true, 16, 512, 128", "true, false, 128, 128, 3200",
        // The skinny path (m <= 8): a recurrent step at batch 1 and 8, forward (NT) and backward (NN, TN).
        "false, true, 1, 1024, 256", "false, true, 8, 2048, 512", "false, false, 1, 256, 1024",
        "false, false, 8, 33, 1000", "true, false, 8, 100, 7", "true, true, 5, 31, 70", "false, true, 9, 1024, 256",
        // The 128-tiled path: at least as many 128 x 128 tiles (9 x 17) as an H100 or H200 has SMs (132).
        "false, false, 1100, 2100, 40", "false, true, 1100, 2100, 40", "true, false, 1100, 2100, 40",
        "true, true, 1100, 2100, 40",
    })
    void gemmMatchesADoubleReferenceWithinTheFloatErrorBound(boolean transA, boolean transB, int m, int n, int k) {
        Random rnd = new Random(m * 31L + n * 7L + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        float[] a = HostMath.random(rnd, m * k, 1);
        float[] b = HostMath.random(rnd, k * n, 1);
        float[] c0 = HostMath.random(rnd, m * n, 1);
        double alpha = 0.75;
        double beta = -0.5;
        try (Tensor ta = upload(a, transA ? k : m, transA ? m : k);
             Tensor tb = upload(b, transB ? n : k, transB ? k : n);
             Tensor tc = upload(c0, m, n)) {
            cuda.gemm(transA, transB, alpha, ta, tb, beta, tc);
            float[] got = tc.toFloatArray();
            double[][] ref = HostMath.gemm(transA, transB, a, b, m, n, k);
            for (int i = 0; i < m * n; i++) {
                double expected = alpha * ref[0][i] + beta * c0[i];
                // Each of the k fused multiply-adds rounds once: |error| <= k * eps * sum|a b| (plus the epilogue).
                double bound = (k + 2) * EPS * (Math.abs(alpha) * ref[1][i] + Math.abs(beta * c0[i]));
                assertTrue(Math.abs(got[i] - expected) <= bound, "c[" + i / n + ", " + i % n + "] = " + got[i]
                        + ", expected " + expected + " within " + bound);
            }
        }
    }

    @Test
    void gemmWithBetaZeroDoesNotReadC() {
        try (Tensor a = upload(new float[] {1, 2, 3, 4}, 2, 2);
             Tensor b = upload(new float[] {1, 0, 0, 1}, 2, 2);
             Tensor c = upload(new float[] {Float.NaN, Float.NaN, Float.POSITIVE_INFINITY, Float.NaN}, 2, 2)) {
            cuda.gemm(false, false, 1, a, b, 0, c);
            assertNull(HostMath.firstBitDifference(new float[] {1, 2, 3, 4}, c.toFloatArray()));
        }
    }

    @Test
    void gemmWithAlphaZeroDoesNotReadAOrB() {
        try (Tensor a = upload(new float[] {Float.NaN, 1}, 1, 2);
             Tensor b = upload(new float[] {1, Float.NaN}, 2, 1);
             Tensor c = upload(new float[] {4}, 1, 1)) {
            cuda.gemm(false, false, 0, a, b, 0.5, c);
            assertEquals(2f, c.toFloatArray()[0]);
        }
    }

    @Test
    void rowViewsAreAddressedAtTheirOffset() {
        // JCuda ignores byte offsets inside kernel parameter arrays; views must still reach the right rows.
        Random rnd = new Random(7);
        float[] seq = HostMath.random(rnd, 5 * 3 * 4, 1);
        float[] w = HostMath.random(rnd, 4 * 6, 1);
        try (Tensor x = upload(seq, 5, 3, 4); Tensor weights = upload(w, 4, 6); Tensor out = cuda.allocate(DType.FLOAT32, 5 * 3, 6)) {
            for (int t = 0; t < 5; t++) {
                cuda.gemm(false, false, 1, cuda.viewRows(x, t * 3, 3), weights, 0, cuda.viewRows(out, t * 3, 3));
            }
            float[] got = out.toFloatArray();
            double[][] ref = HostMath.gemm(false, false, seq, w, 15, 6, 4);
            for (int i = 0; i < got.length; i++) {
                assertEquals(ref[0][i], got[i], 6 * EPS * ref[1][i], "out[" + i + "]");
            }
            Tensor step3 = cuda.viewRows(out, 9, 3);
            cuda.scale(2, step3, step3);
            float[] scaled = out.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(i >= 9 * 6 && i < 12 * 6 ? 2 * got[i] : got[i], scaled[i], "after scaling step 3, element " + i);
            }
        }
    }

    // ---------------------------------------------------------------- element-wise and activations

    @Test
    void elementwiseOpsRoundOncePerOperationLikeJava() {
        Random rnd = new Random(3);
        int n = 1000;
        float[] a = HostMath.random(rnd, n, 10);
        float[] b = HostMath.random(rnd, n, 10);
        float[] add = new float[n], sub = new float[n], mul = new float[n], div = new float[n], scale = new float[n];
        float[] axpy = new float[n], sqrt = new float[n], tanh = new float[n], sigmoid = new float[n], relu = new float[n];
        for (int i = 0; i < n; i++) {
            add[i] = a[i] + b[i];
            sub[i] = a[i] - b[i];
            mul[i] = a[i] * b[i];
            div[i] = a[i] / b[i];
            scale[i] = 0.3f * a[i];
            axpy[i] = b[i] + 0.3f * a[i];
            sqrt[i] = (float) Math.sqrt(Math.abs(a[i]));
            tanh[i] = (float) Math.tanh(a[i]);
            sigmoid[i] = (float) (1.0 / (1.0 + Math.exp(-(double) a[i])));
            relu[i] = a[i] <= 0 ? 0f : a[i];
        }
        float[] absA = new float[n];
        for (int i = 0; i < n; i++) {
            absA[i] = Math.abs(a[i]);
        }
        try (Tensor ta = upload(a, n); Tensor tb = upload(b, n); Tensor out = cuda.allocate(DType.FLOAT32, n);
             Tensor tAbs = upload(absA, n)) {
            cuda.add(ta, tb, out);
            assertNull(HostMath.firstBitDifference(add, out.toFloatArray()), "add");
            cuda.sub(ta, tb, out);
            assertNull(HostMath.firstBitDifference(sub, out.toFloatArray()), "sub");
            cuda.mul(ta, tb, out);
            assertNull(HostMath.firstBitDifference(mul, out.toFloatArray()), "mul");
            cuda.div(ta, tb, out);
            assertNull(HostMath.firstBitDifference(div, out.toFloatArray()), "div");
            cuda.scale(0.3, ta, out);
            assertNull(HostMath.firstBitDifference(scale, out.toFloatArray()), "scale");
            cuda.copy(tb, out);
            cuda.axpy(0.3, ta, out);
            assertNull(HostMath.firstBitDifference(axpy, out.toFloatArray()), "axpy (no fused multiply-add)");
            cuda.sqrt(tAbs, out);
            assertNull(HostMath.firstBitDifference(sqrt, out.toFloatArray()), "sqrt");
            cuda.activate(Activation.TANH, ta, out);
            assertNull(HostMath.firstBitDifference(tanh, out.toFloatArray()), "tanh");
            cuda.activate(Activation.SIGMOID, ta, out);
            assertNull(HostMath.firstBitDifference(sigmoid, out.toFloatArray()), "sigmoid");
            cuda.activate(Activation.RELU, ta, out);
            assertNull(HostMath.firstBitDifference(relu, out.toFloatArray()), "relu");
        }
    }

    @Test
    void nanSurvivesClampReluAndMaxAbs() {
        try (Tensor x = upload(new float[] {Float.NaN, -5, 5, 0.5f}, 4); Tensor out = cuda.allocate(DType.FLOAT32, 4)) {
            cuda.clamp(x, -1, 1, out);
            assertNull(HostMath.firstBitDifference(new float[] {Float.NaN, -1, 1, 0.5f}, out.toFloatArray()));
            cuda.activate(Activation.RELU, x, out);
            assertTrue(Float.isNaN(out.toFloatArray()[0]), "relu(NaN)");
            assertTrue(Double.isNaN(cuda.maxAbs(x)), "maxAbs with a NaN");
        }
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void columnSumsAccumulateInDoubleAndBetaZeroOverwrites() {
        Random rnd = new Random(11);
        int rows = 3200;
        int cols = 129;
        float[] m = HostMath.random(rnd, rows * cols, 1);
        float[] expected = new float[cols];
        float[] expectedWithBeta = new float[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += m[i * cols + j];
            }
            expected[j] = (float) sum;
            expectedWithBeta[j] = (float) (0.5 * expected[j] + sum);
        }
        float[] stale = new float[cols];
        java.util.Arrays.fill(stale, Float.NaN);
        try (Tensor tm = upload(m, rows, cols); Tensor out = upload(stale, cols)) {
            cuda.columnSums(tm, 0, out);
            assertNull(HostMath.firstBitDifference(expected, out.toFloatArray()), "beta = 0");
            cuda.columnSums(tm, 0.5, out);
            assertNull(HostMath.firstBitDifference(expectedWithBeta, out.toFloatArray()), "beta = 0.5");
        }
    }

    @Test
    void sumOfSquaresAndMaxAbsOverManyBlocks() {
        Random rnd = new Random(5);
        int n = 1_000_003;
        float[] x = HostMath.random(rnd, n, 3);
        double sum = 0;
        float max = 0;
        for (float v : x) {
            sum += (double) v * v;
            max = Math.max(max, Math.abs(v));
        }
        try (Tensor t = upload(x, n)) {
            // Both sides add n positive terms in double, in different orders: each within n * 2^-53 * sum.
            assertEquals(sum, cuda.sumOfSquares(t), 2.0 * n * 0x1p-53 * sum);
            assertEquals(max, cuda.maxAbs(t));
        }
    }

    // ---------------------------------------------------------------- copies

    @Test
    void overlappingCopiesBehaveAsIfThroughATemporary() {
        float[] values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        try (Tensor m = upload(values, 3, 4); Tensor rows = upload(values, 6, 2)) {
            cuda.copyColumns(m, 0, m, 1, 3);
            assertNull(HostMath.firstBitDifference(new float[] {0, 0, 1, 2, 4, 4, 5, 6, 8, 8, 9, 10}, m.toFloatArray()));
            cuda.copyRows(rows, 0, rows, 1, 5);
            assertNull(HostMath.firstBitDifference(new float[] {0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, rows.toFloatArray()));
        }
    }

    // ---------------------------------------------------------------- embeddings and loss

    @Test
    void scatterAddAccumulatesRepeatedIndices() {
        try (Tensor table = cuda.allocate(DType.FLOAT32, 3, 2); Tensor src = upload(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
             Tensor gathered = cuda.allocate(DType.FLOAT32, 2, 2)) {
            cuda.scatterAddRows(src, new int[] {2, 0, 2}, table);
            assertNull(HostMath.firstBitDifference(new float[] {3, 4, 0, 0, 6, 8}, table.toFloatArray()));
            cuda.gatherRows(table, new int[] {2, 1}, gathered);
            assertNull(HostMath.firstBitDifference(new float[] {6, 8, 0, 0}, gathered.toFloatArray()));
        }
    }

    @Test
    void softmaxCrossEntropyLikeTheJavaBackends() {
        Random rnd = new Random(9);
        int rows = 5;
        int cols = 1000;
        float[] logits = HostMath.random(rnd, rows * cols, 20);
        int[] targets = {3, -1, 999, 0, 500};
        double expectedLoss = 0;
        float[] expectedP = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            float max = logits[i * cols];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, logits[i * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp((double) logits[i * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                expectedP[i * cols + j] = (float) (Math.exp((double) logits[i * cols + j] - max) / sum);
            }
            if (targets[i] >= 0) {
                expectedLoss += Math.log(sum) - ((double) logits[i * cols + targets[i]] - max);
            }
        }
        try (Tensor x = upload(logits, rows, cols); Tensor p = cuda.allocate(DType.FLOAT32, rows, cols);
             Tensor d = cuda.allocate(DType.FLOAT32, rows, cols)) {
            double loss = cuda.softmaxCrossEntropy(x, targets, p);
            // Row sums differ only in order (each within cols * 2^-53 relative, so each log within that absolute).
            assertEquals(expectedLoss, loss, rows * (2.0 * cols + 2) * 0x1p-53 * Math.max(1, Math.abs(expectedLoss)));
            float[] gotP = p.toFloatArray();
            for (int i = 0; i < gotP.length; i++) {
                // The row sum is added in another order than on the host: at most one rounding apart.
                assertEquals(expectedP[i], gotP[i], Math.ulp(expectedP[i]), "p[" + i + "]");
            }
            cuda.softmaxCrossEntropyBackward(p, targets, 0.25, d);
            float[] gotD = d.toFloatArray();
            for (int i = 0; i < gotD.length; i++) {
                int row = i / cols;
                float expected = targets[row] < 0 ? 0f : 0.25f * (gotP[i] - (i % cols == targets[row] ? 1f : 0f));
                assertEquals(expected, gotD[i], "dLogits[" + i + "]");
            }
        }
    }

    // ---------------------------------------------------------------- fused kernels against the composite path

    /** The same backend's primitives, driven through the interface's composite defaults. */
    private static Backend composite() {
        return new ForwardingBackend(cuda, "cuda-composite");
    }

    @Test
    void fusedLstmStepsEqualTheCompositeBitForBit() {
        Random rnd = new Random(21);
        int b = 7;
        int h = 33;
        float[] gates = HostMath.random(rnd, b * 4 * h, 4);
        float[] cPrev = HostMath.random(rnd, b * h, 2);
        float[] dh = HostMath.random(rnd, b * h, 1);
        float[] dc = HostMath.random(rnd, b * h, 1);
        float[][] fused = lstmStep(cuda, gates, cPrev, dh, dc, b, h);
        float[][] reference = lstmStep(composite(), gates, cPrev, dh, dc, b, h);
        String[] names = {"gates", "c", "h", "dc", "dGates"};
        for (int i = 0; i < names.length; i++) {
            assertNull(HostMath.firstBitDifference(reference[i], fused[i]), "lstm " + names[i]);
        }
    }

    private static float[][] lstmStep(Backend be, float[] gates, float[] cPrev, float[] dh, float[] dc, int b, int h) {
        try (Tensor tg = upload(gates, b, 4 * h); Tensor tcp = upload(cPrev, b, h); Tensor tc = cuda.allocate(DType.FLOAT32, b, h);
             Tensor th = cuda.allocate(DType.FLOAT32, b, h); Tensor tdh = upload(dh, b, h); Tensor tdc = upload(dc, b, h);
             Tensor tdg = cuda.allocate(DType.FLOAT32, b, 4 * h)) {
            be.lstmStepForward(tg, tcp, tc, th);
            be.lstmStepBackward(tg, tcp, tc, tdh, tdc, tdg);
            return new float[][] {tg.toFloatArray(), tc.toFloatArray(), th.toFloatArray(), tdc.toFloatArray(),
                tdg.toFloatArray()};
        }
    }

    @Test
    void fusedGruStepsEqualTheCompositeBitForBit() {
        Random rnd = new Random(22);
        int b = 5;
        int h = 40;
        float[] gates = HostMath.random(rnd, b * 3 * h, 3);
        float[] hProj = HostMath.random(rnd, b * 3 * h, 3);
        float[] hPrev = HostMath.random(rnd, b * h, 1);
        float[] dh = HostMath.random(rnd, b * h, 1);
        float[][] fused = gruStep(cuda, gates, hProj, hPrev, dh, b, h);
        float[][] reference = gruStep(composite(), gates, hProj, hPrev, dh, b, h);
        String[] names = {"gates", "hProj", "h", "dh", "dInput", "dHidden"};
        for (int i = 0; i < names.length; i++) {
            assertNull(HostMath.firstBitDifference(reference[i], fused[i]), "gru " + names[i]);
        }
    }

    private static float[][] gruStep(Backend be, float[] gates, float[] hProj, float[] hPrev, float[] dh, int b, int h) {
        try (Tensor tg = upload(gates, b, 3 * h); Tensor tp = upload(hProj, b, 3 * h); Tensor thp = upload(hPrev, b, h);
             Tensor th = cuda.allocate(DType.FLOAT32, b, h); Tensor tdh = upload(dh, b, h);
             Tensor tdi = cuda.allocate(DType.FLOAT32, b, 3 * h); Tensor tdhid = cuda.allocate(DType.FLOAT32, b, 3 * h)) {
            be.gruStepForward(tg, tp, thp, th);
            be.gruStepBackward(tg, tp, thp, tdh, tdi, tdhid);
            return new float[][] {tg.toFloatArray(), tp.toFloatArray(), th.toFloatArray(), tdh.toFloatArray(),
                tdi.toFloatArray(), tdhid.toFloatArray()};
        }
    }

    @Test
    void fusedAdamEqualsTheCompositeBitForBit() {
        Random rnd = new Random(23);
        int n = 777;
        float[] param = HostMath.random(rnd, n, 1);
        float[] grad = HostMath.random(rnd, n, 1);
        float[] m = HostMath.random(rnd, n, 0.1f);
        float[] v = HostMath.random(rnd, n, 0.1f);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        for (double decay : new double[] {0, 0.01}) {
            float[][] fused = adam(cuda, param, grad, m, v, decay);
            float[][] reference = adam(composite(), param, grad, m, v, decay);
            String[] names = {"param", "grad", "m", "v"};
            for (int i = 0; i < names.length; i++) {
                assertNull(HostMath.firstBitDifference(reference[i], fused[i]), "adam " + names[i] + ", decay " + decay);
            }
        }
    }

    private static float[][] adam(Backend be, float[] param, float[] grad, float[] m, float[] v, double decay) {
        int n = param.length;
        try (Tensor tp = upload(param, n); Tensor tg = upload(grad, n); Tensor tm = upload(m, n); Tensor tv = upload(v, n)) {
            for (long step = 1; step <= 3; step++) {
                be.adamUpdate(tp, tg, tm, tv, 1e-3, 0.9, 0.999, 1e-8, decay, step);
            }
            return new float[][] {tp.toFloatArray(), tg.toFloatArray(), tm.toFloatArray(), tv.toFloatArray()};
        }
    }

    // ---------------------------------------------------------------- graphs

    @Test
    void aCapturedSequenceReplaysToTheSameResultsAsDirectLaunches() {
        Random rnd = new Random(31);
        int steps = 6;
        int batch = 3;
        int hidden = 8;
        float[] input = HostMath.random(rnd, steps * batch * 4 * hidden, 1);
        float[] weights = HostMath.random(rnd, hidden * 4 * hidden, 0.3f);
        try (LstmSequence seq = new LstmSequence(cuda, steps, batch, hidden, weights)) {
            seq.input.copyFrom(input);
            seq.forward();
            float[] direct = seq.states.toFloatArray();

            seq.reset();
            seq.input.copyFrom(input);
            try (StepGraph graph = cuda.capture(seq::forward)) {
                assertNull(HostMath.firstBitDifference(new float[direct.length], seq.states.toFloatArray()),
                        "capturing must not run the work");
                graph.replay();
                assertNull(HostMath.firstBitDifference(direct, seq.states.toFloatArray()), "replay vs direct");

                // New inputs in the same tensors: the replay computes on them.
                float[] other = HostMath.random(rnd, input.length, 1);
                seq.reset();
                seq.input.copyFrom(other);
                seq.forward();
                float[] directOther = seq.states.toFloatArray();
                seq.reset();
                seq.input.copyFrom(other);
                graph.replay();
                assertNull(HostMath.firstBitDifference(directOther, seq.states.toFloatArray()), "replay on new input");
            }
        }
    }

    @Test
    void captureRefusesHostTransfersAndLeavesTheBackendUsable() {
        try (Tensor t = upload(new float[] {1, 2}, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cuda.capture(t::toFloatArray));
            assertTrue(e.getMessage().contains("cannot run inside a StepGraph capture"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> cuda.capture(() -> cuda.allocate(DType.FLOAT32, 1)));
            cuda.scale(2, t, t);
            assertNull(HostMath.firstBitDifference(new float[] {2, 4}, t.toFloatArray()));
        }
    }

    @Test
    void runCapturedRecordsOncePerKey() {
        try (Tensor t = upload(new float[] {1}, 1)) {
            int[] recorded = {0};
            Runnable doubling = () -> {
                recorded[0]++;
                cuda.scale(2, t, t);
            };
            for (int i = 0; i < 3; i++) {
                cuda.runCaptured("doubling", doubling);
            }
            assertEquals(1, recorded[0]);
            assertEquals(8f, t.toFloatArray()[0]);
            cuda.forgetCaptured("doubling");
        }
    }

    // ---------------------------------------------------------------- whole sequences

    /**
     * The SPI's whole-sequence forwards (state buffers of T+1 blocks, gates read and written in place) against
     * the SPI's default loop run through a {@link ForwardingBackend}, twice with fresh inputs, under each scheme:
     * the cluster kernel (where the device has it), the grid kernel, and with neither the loop, whose second call
     * replays the graph recorded by the first. Shapes: the latency shape, the largest persistent batch, H = 1, and
     * a batch too big for any persistent kernel.
     */
    @ParameterizedTest(name = "{0} {1} T={2} B={3} H={4}")
    @CsvSource(value = {"lstm, cluster, 50, 1, 128", "lstm, cluster, 7, 16, 100", "lstm, cluster, 5, 3, 1",
        "lstm, grid, 50, 1, 256", "lstm, grid, 7, 16, 100", "lstm, grid, 5, 3, 1", "lstm, loop, 6, 24, 64",
        "gru, cluster, 50, 1, 128", "gru, cluster, 7, 16, 100", "gru, cluster, 5, 3, 1",
        "gru, grid, 50, 1, 256", "gru, grid, 7, 16, 100", "gru, grid, 5, 3, 1", "gru, loop, 6, 24, 64",
        "rnn, cluster, 50, 1, 256", "rnn, cluster, 7, 16, 100", "rnn, cluster, 5, 3, 1",
        "rnn, grid, 50, 1, 256", "rnn, grid, 7, 16, 100", "rnn, grid, 5, 3, 1", "rnn, loop, 6, 24, 64"})
    void spiSequenceForwardsAgreeWithTheDefaultLoopAndReplay(String cell, String scheme, int steps, int batch,
                                                             int hidden) {
        PersistentCell kind = PersistentCell.of(cell);
        switch (scheme) {
            case "cluster" -> {
                assumeTrue(cuda.limits().clusterKernels(), "the cluster kernels need compute capability 9.0+");
                cuda.allowPersistentSchemes(EnumSet.of(PersistentScheme.CLUSTER));
                assertTrue(cuda.clusterPlan(kind, batch, hidden).isPresent(), "cluster kernel chosen");
            }
            case "grid" -> {
                cuda.allowPersistentSchemes(EnumSet.of(PersistentScheme.GRID));
                assertTrue(cuda.gridPlan(kind, batch, hidden).isPresent(), "grid kernel chosen");
            }
            default -> {
                cuda.allowPersistentSchemes(EnumSet.allOf(PersistentScheme.class));
                assertTrue(cuda.clusterPlan(kind, batch, hidden).isEmpty() && cuda.gridPlan(kind, batch, hidden)
                        .isEmpty(), "no persistent kernel for batch " + batch);
            }
        }
        try {
            compareSequenceForwardWithTheLoop(cell, kind.gates, steps, batch, hidden);
        } finally {
            cuda.allowPersistentSchemes(EnumSet.allOf(PersistentScheme.class));
        }
    }

    private static void compareSequenceForwardWithTheLoop(String cell, int gates, int steps, int batch, int hidden) {
        Backend composite = new ForwardingBackend(cuda, "composite");
        Random rnd = new Random(steps * 1000L + batch * 10L + hidden + gates);
        try (Tensor w = upload(HostMath.random(rnd, gates * hidden * hidden, (float) (1 / Math.sqrt(hidden))),
                     gates * hidden, hidden);
             Tensor bias = upload(HostMath.random(rnd, gates * hidden, 0.5f), gates * hidden)) {
            // two calls per direction, the second replaying what the first recorded where the loop runs, then one per
            // direction with the rows of a batch of several lengths
            for (int call = 0; call < 6; call++) {
                TimeDirection direction = TimeDirection.values()[call % 2];
                int[] active = call >= 4 ? sortedBatchRows(steps, batch) : null;
                float[] x = HostMath.random(rnd, steps * batch * gates * hidden, 2);
                float[] h0 = HostMath.random(rnd, (steps + 1) * batch * hidden, 1);
                Tensor[] ours = sequenceBuffers(x, h0, steps, batch, gates, hidden);
                Tensor[] reference = sequenceBuffers(x, h0, steps, batch, gates, hidden);
                try {
                    for (Backend be : new Backend[] {cuda, composite}) {
                        Tensor[] t = be == cuda ? ours : reference;
                        switch (cell) {
                            case "lstm" -> be.lstmSequenceForward(direction, active, t[0], w, t[1], t[2]);
                            case "gru" -> be.gruSequenceForward(direction, active, t[0], t[2], w, bias, t[1]);
                            default -> be.rnnSequenceForward(direction, active, Activation.TANH, t[0], w, t[1]);
                        }
                    }
                    String name = cell + " " + direction + " call " + call + (active == null ? ""
                            : " activeRows " + Arrays.toString(active));
                    if (cell.equals("rnn")) { // its gate buffer is left unspecified
                        assertWithinCellTolerance(name, new String[] {"states"}, new Tensor[] {reference[1]},
                                new Tensor[] {ours[1]});
                    } else {
                        assertWithinCellTolerance(name, new String[] {"gates", "states",
                            cell.equals("lstm") ? "cells" : "hiddenProjection"}, reference, ours);
                    }
                } finally {
                    for (int i = 0; i < 3; i++) {
                        ours[i].close();
                        reference[i].close();
                    }
                }
            }
        }
    }

    /**
     * The SPI's whole-sequence backwards against the SPI's default loop run through a {@link ForwardingBackend},
     * twice with fresh inputs: under the cluster scheme the cluster backward kernel (where the device has it), with
     * no scheme the loop, whose second call replays the graph recorded by the first. With and without an output
     * gradient; shapes: the latency shapes, the largest persistent batch, H = 1 and ragged sizes.
     */
    @ParameterizedTest(name = "{0} {1} T={2} B={3} H={4} dOutput={5}")
    @CsvSource(value = {"lstm, cluster, 50, 1, 128, true", "lstm, cluster, 7, 16, 100, true",
        "lstm, cluster, 5, 3, 1, false", "lstm, loop, 6, 16, 100, true",
        "gru, cluster, 50, 1, 128, true", "gru, cluster, 7, 16, 100, false", "gru, cluster, 5, 3, 1, true",
        "gru, loop, 6, 16, 100, true",
        "rnn, cluster, 50, 1, 256, true", "rnn, cluster, 7, 16, 100, true", "rnn, cluster, 5, 3, 1, false",
        "rnn, loop, 6, 16, 100, true"})
    void spiSequenceBackwardsAgreeWithTheDefaultLoopAndReplay(String cell, String scheme, int steps, int batch,
                                                              int hidden, boolean withOutput) {
        PersistentCell kind = PersistentCell.of(cell);
        if (scheme.equals("cluster")) {
            assumeTrue(cuda.limits().clusterKernels(), "the cluster kernels need compute capability 9.0+");
            cuda.allowPersistentSchemes(EnumSet.of(PersistentScheme.CLUSTER));
            assertTrue(cuda.clusterBackwardPlan(kind, batch, hidden).isPresent(), "cluster kernel chosen");
        } else {
            cuda.allowPersistentSchemes(EnumSet.noneOf(PersistentScheme.class));
        }
        try {
            compareSequenceBackwardWithTheLoop(cell, kind.gates, steps, batch, hidden, withOutput);
        } finally {
            cuda.allowPersistentSchemes(EnumSet.allOf(PersistentScheme.class));
        }
    }

    /**
     * A kernel's dynamic shared-memory allowance belongs to the kernel, which every backend instance on the device
     * shares: a second instance's launch with less must not lower it under the first, whose next launch needs more
     * than the default 48 KiB (before the allowance was shared, that launch was refused).
     */
    @Test
    void aSecondBackendsSmallerClusterLaunchLeavesTheLargerOneAllowed() {
        assumeTrue(cuda.limits().clusterKernels(), "the cluster kernels need compute capability 9.0+");
        int large = cuda.clusterBackwardPlan(PersistentCell.LSTM, 16, 128).orElseThrow().sharedBytes();
        int small = cuda.clusterBackwardPlan(PersistentCell.LSTM, 1, 8).orElseThrow().sharedBytes();
        assertTrue(large > 48 * 1024 && small < large, "shared bytes " + large + " and " + small);
        cuda.allowPersistentSchemes(EnumSet.of(PersistentScheme.CLUSTER));
        try {
            compareSequenceBackwardWithTheLoop("lstm", 4, 3, 16, 128, true);
            try (CudaBackend other = CudaBackend.open(0);
                 Tensor gates = other.allocate(DType.FLOAT32, 2, 32);
                 Tensor w = other.allocate(DType.FLOAT32, 32, 8);
                 Tensor cells = other.allocate(DType.FLOAT32, 3, 8);
                 Tensor dGates = other.allocate(DType.FLOAT32, 2, 32);
                 Tensor dHidden = other.allocate(DType.FLOAT32, 1, 8);
                 Tensor dCell = other.allocate(DType.FLOAT32, 1, 8)) {
                other.allowPersistentSchemes(EnumSet.of(PersistentScheme.CLUSTER));
                other.lstmSequenceBackward(TimeDirection.FORWARD, null, gates, w, cells, null, dGates, dHidden, dCell);
                other.synchronize();
            }
            compareSequenceBackwardWithTheLoop("lstm", 4, 3, 16, 128, true);
        } finally {
            cuda.allowPersistentSchemes(EnumSet.allOf(PersistentScheme.class));
        }
    }

    private static void compareSequenceBackwardWithTheLoop(String cell, int gates, int steps, int batch, int hidden,
                                                           boolean withOutput) {
        Backend composite = new ForwardingBackend(cuda, "composite");
        Random rnd = new Random(steps * 1000L + batch * 10L + hidden + gates + (withOutput ? 7 : 0));
        int rows = steps * batch;
        try (Tensor w = upload(HostMath.random(rnd, gates * hidden * hidden, (float) (1 / Math.sqrt(hidden))),
                gates * hidden, hidden)) {
            // two calls per direction, the second replaying what the first recorded where the loop runs, then one per
            // direction with the rows of a batch of several lengths
            for (int call = 0; call < 6; call++) {
                TimeDirection direction = TimeDirection.values()[call % 2];
                int[] active = call >= 4 ? sortedBatchRows(steps, batch) : null;
                // inputs: gates (activations in (0, 1)), hProj, states or cells, dOutput, dHidden, dCell
                float[][] in = {HostMath.random(rnd, rows * gates * hidden, 0.5f), HostMath.random(rnd,
                    rows * gates * hidden, 1), HostMath.random(rnd, rows * hidden + batch * hidden, 1),
                    HostMath.random(rnd, rows * hidden, 1), HostMath.random(rnd, batch * hidden, 1),
                    HostMath.random(rnd, batch * hidden, 1)};
                for (int i = 0; i < in[0].length; i++) {
                    in[0][i] += 0.5f;
                }
                List<Tensor> open = new ArrayList<>();
                try {
                    Tensor[][] outputs = new Tensor[2][];
                    for (int k = 0; k < 2; k++) {
                        Backend be = k == 0 ? composite : cuda;
                        Tensor g = track(open, upload(in[0], rows, gates * hidden));
                        Tensor proj = track(open, upload(in[1], rows, gates * hidden));
                        Tensor states = track(open, upload(in[2], rows + batch, hidden));
                        Tensor dy = withOutput ? track(open, upload(in[3], rows, hidden)) : null;
                        Tensor dh = track(open, upload(in[4], batch, hidden));
                        Tensor dc = track(open, upload(in[5], batch, hidden));
                        Tensor dg = track(open, cuda.allocate(DType.FLOAT32, rows, gates * hidden));
                        Tensor dp = track(open, cuda.allocate(DType.FLOAT32, rows, gates * hidden));
                        switch (cell) {
                            case "lstm" -> be.lstmSequenceBackward(direction, active, g, w, states, dy, dg, dh, dc);
                            case "gru" -> be.gruSequenceBackward(direction, active, g, proj, w, states, dy, dg, dp, dh);
                            default -> be.rnnSequenceBackward(direction, active, Activation.TANH, w, states, dy, dg,
                                    dh);
                        }
                        outputs[k] = switch (cell) {
                            case "lstm" -> new Tensor[] {dg, dh, dc};
                            case "gru" -> new Tensor[] {dg, dh, dp};
                            default -> new Tensor[] {dg, dh};
                        };
                    }
                    String[] names = {"dGates", "dHidden", cell.equals("lstm") ? "dCell" : "dHiddenProjection"};
                    assertWithinCellTolerance(cell + " " + direction + " call " + call
                                    + (active == null ? "" : " activeRows " + Arrays.toString(active)),
                            Arrays.copyOf(names, outputs[0].length),
                            outputs[0], outputs[1]);
                } finally {
                    open.forEach(Tensor::close);
                }
            }
        }
    }

    /**
     * The rows that run at each step of a batch sorted longest first whose lengths spread from T down to about
     * T / B: every step runs row 0, the last steps only it.
     */
    private static int[] sortedBatchRows(int steps, int batch) {
        int[] active = new int[steps];
        for (int b = 0; b < batch; b++) {
            int length = Math.max(1, steps - b * steps / batch);
            for (int t = 0; t < length; t++) {
                active[t]++;
            }
        }
        return active;
    }

    private static Tensor track(List<Tensor> open, Tensor t) {
        open.add(t);
        return t;
    }

    /**
     * The cells record a full-length forward pass as one graph (runRepeatable under their pass key). Where the
     * cluster kernel fits, the recording holds it and replays it; where only the grid kernel fits (LSTM, H = 256),
     * whose cooperative launch is not recorded, the pass runs directly instead of replaying a step loop. Either way
     * the outputs, twice on fresh inputs, agree with the SPI's defaults run through a {@link ForwardingBackend}.
     */
    @ParameterizedTest(name = "{0} T={1} B={2} H={3} recorded={4}")
    @CsvSource(value = {"RNN_TANH, 50, 1, 256, true", "GRU, 20, 16, 128, true", "LSTM, 20, 1, 256, false"})
    void aFullLengthForwardPassReplaysAsOneGraphWhereItKeepsItsPersistentKernel(CellType cell, int steps, int batch,
                                                                               int hidden, boolean recorded) {
        assumeTrue(cuda.limits().clusterKernels(), "the cluster kernels need compute capability 9.0+");
        RecurrentConfig config = RecurrentConfig.of(cell, hidden, hidden);
        Backend composite = new ForwardingBackend(cuda, "composite");
        long capturedBefore = cuda.clusterLaunchesCaptured();
        int directBefore = cuda.keysRunDirectly();
        Random rnd = new Random(steps + batch + hidden);
        try (RecurrentStack ours = new RecurrentStack(cuda, DType.FLOAT32, config);
             RecurrentStack reference = new RecurrentStack(composite, DType.FLOAT32, config)) {
            ours.initialize(3);
            reference.initialize(3);
            for (int call = 0; call < 2; call++) {
                try (Tensor x = upload(HostMath.random(rnd, steps * batch * hidden, 1), steps, batch, hidden);
                     RecurrentPass a = ours.forward(x, null, null, null, false);
                     RecurrentPass b = reference.forward(x, null, null, null, false)) {
                    assertWithinCellTolerance(cell + " call " + call, new String[] {"output", "final hidden"},
                            new Tensor[] {b.output(), b.finalHidden()}, new Tensor[] {a.output(), a.finalHidden()});
                }
            }
            if (recorded) {
                assertTrue(cuda.clusterLaunchesCaptured() > capturedBefore, "the cluster kernel is in the recording");
                assertEquals(directBefore, cuda.keysRunDirectly(), "no pass given up");
            } else {
                assertEquals(directBefore + 1, cuda.keysRunDirectly(), "the pass runs directly, with its grid kernel");
            }
        }
    }

    /** Gates {@code [T*B, G*H]}, states {@code [(T+1)*B, H]} and a third buffer (cells or hProj) for one call. */
    private static Tensor[] sequenceBuffers(float[] x, float[] h0, int steps, int batch, int gates, int hidden) {
        Tensor third = gates == 3 ? cuda.allocate(DType.FLOAT32, steps * batch, 3 * hidden)
                : upload(h0, (steps + 1) * batch, hidden);
        // states and cells keep only block 0 of what was uploaded: the rest is written by the forward
        return new Tensor[] {upload(x, steps * batch, gates * hidden), upload(h0, (steps + 1) * batch, hidden), third};
    }

    /** The dot products add in different orders: the kit's tolerance for whole cells and sequences applies. */
    private static void assertWithinCellTolerance(String what, String[] names, Tensor[] expected, Tensor[] actual) {
        Tolerance tolerance = Tolerances.forCells(DType.FLOAT32);
        for (int n = 0; n < names.length; n++) {
            float[] e = expected[n].toFloatArray();
            float[] a = actual[n].toFloatArray();
            for (int i = 0; i < e.length; i++) {
                int index = i;
                String name = names[n];
                assertTrue(tolerance.accepts(e[i], a[i]), () -> what + " " + name + "[" + index + "]: per-step "
                        + e[index] + ", sequence " + a[index]);
            }
        }
    }

    // ---------------------------------------------------------------- dtypes

    @Test
    void float64IsRefusedWithTheSpecifiedException() {
        assertThrows(UnsupportedDTypeException.class, () -> cuda.allocate(DType.FLOAT64, 2));
        assertTrue(cuda.supports(DType.FLOAT32));
    }
}
