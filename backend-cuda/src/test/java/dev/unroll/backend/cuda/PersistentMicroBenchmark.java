package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.Locale;
import java.util.Random;

/**
 * Times the persistent forward kernels on the latency-bound benchmark shapes with the grid capped at fewer blocks
 * than SMs (more hidden units per block): fewer blocks meet at the grid barrier each step, but each does more of
 * the step's dot products. A main, not a test; the numbers choose {@link PersistentPlan}'s block count.
 */
public final class PersistentMicroBenchmark {
    private static final int[][] SHAPES = {{50, 1, 256}, {100, 16, 128}, {50, 8, 512}};
    private static final int[] BLOCK_CAPS = {132, 64, 32, 16, 8};

    private PersistentMicroBenchmark() {
    }

    public static void main(String[] args) {
        if (!CudaAvailable.AVAILABILITY.available()) {
            System.out.println("cuda unavailable: " + CudaAvailable.AVAILABILITY.reason());
            return;
        }
        try (CudaBackend cuda = CudaBackend.open(0)) {
            System.out.println("persistent forward, ms per launch by grid cap (units per block in brackets)");
            for (String cell : new String[] {"rnn", "lstm", "gru"}) {
                for (int[] s : SHAPES) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s T=%d B=%d H=%d:", cell,
                            s[0], s[1], s[2]));
                    for (int cap : BLOCK_CAPS) {
                        line.append(time(cuda, cell, s[0], s[1], s[2], cap));
                    }
                    System.out.println(line);
                }
            }
        }
    }

    private static String time(CudaBackend cuda, String cell, int steps, int batch, int hidden, int cap) {
        int gates = PersistentCell.of(cell).gates;
        Kernel kernel = PersistentCell.of(cell).kernel;
        PersistentPlan plan = PersistentPlan.plan(gates, batch, hidden, cuda.limits(), cap).orElse(null);
        if (plan == null || !cuda.resident(kernel, plan)) {
            return " cap " + cap + " n/a;";
        }
        Random rnd = new Random(1);
        try (Tensor g = cuda.upload(DType.FLOAT32, HostMath.random(rnd, steps * batch * gates * hidden, 1),
                steps * batch, gates * hidden);
             Tensor w = cuda.upload(DType.FLOAT32, HostMath.random(rnd, gates * hidden * hidden,
                     (float) (1 / Math.sqrt(hidden))), gates * hidden, hidden);
             Tensor bias = cuda.upload(DType.FLOAT32, HostMath.random(rnd, gates * hidden, 0.1f), gates * hidden);
             Tensor states = cuda.allocate(DType.FLOAT32, (steps + 1) * batch, hidden);
             Tensor extra = cuda.allocate(DType.FLOAT32, (steps + 1) * batch, gates * hidden)) {
            long h = ((CudaTensor) states).address();
            long block = (long) batch * hidden * Float.BYTES;
            long gp = ((CudaTensor) g).address();
            long wp = ((CudaTensor) w).address();
            long xp = ((CudaTensor) extra).address();
            Runnable launch = switch (cell) {
                case "lstm" -> () -> cuda.launchPersistent(kernel, plan, gp, wp, h, xp, gp, xp + block, h + block,
                        steps, batch, hidden, plan.unitsPerBlock());
                case "gru" -> () -> cuda.launchPersistent(kernel, plan, gp, wp, ((CudaTensor) bias).address(), h, gp,
                        xp, h + block, steps, batch, hidden, plan.unitsPerBlock());
                default -> () -> cuda.launchPersistent(kernel, plan, gp, wp, h, h + block, steps, batch, hidden,
                        plan.unitsPerBlock(), 0);
            };
            for (int i = 0; i < 5; i++) {
                launch.run();
            }
            cuda.synchronize();
            int runs = 40;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                launch.run();
            }
            cuda.synchronize();
            double ms = (System.nanoTime() - start) / 1e6 / runs;
            return String.format(Locale.ROOT, " cap %d [%d] %.4f;", cap, plan.unitsPerBlock(), ms);
        }
    }
}
