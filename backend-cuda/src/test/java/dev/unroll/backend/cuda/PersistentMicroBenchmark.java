package dev.unroll.backend.cuda;

import dev.unroll.api.Activation;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Times the SPI's whole-sequence forwards on the latency-bound benchmark shapes under each persistent scheme: the
 * cluster kernel, the grid kernel, and neither (the per-step loop replayed as a graph); then the whole-sequence
 * backwards, cluster kernel against loop. A main, not a test; the numbers justify {@link PersistentScheme}'s order.
 */
public final class PersistentMicroBenchmark {
    private static final int[][] SHAPES = {{50, 1, 256}, {100, 16, 128}, {100, 4, 128}, {50, 8, 512}};

    private PersistentMicroBenchmark() {
    }

    public static void main(String[] args) {
        if (!CudaAvailable.AVAILABILITY.available()) {
            System.out.println("cuda unavailable: " + CudaAvailable.AVAILABILITY.reason());
            return;
        }
        try (CudaBackend cuda = CudaBackend.open(0)) {
            table(cuda, "whole-sequence forward, ms per call by scheme (n/a: the scheme does not fit)", false,
                    EnumSet.of(PersistentScheme.CLUSTER), EnumSet.of(PersistentScheme.GRID));
            table(cuda, "whole-sequence backward (with dOutput), ms per call by scheme", true,
                    EnumSet.of(PersistentScheme.CLUSTER));
            cuda.allowPersistentSchemes(EnumSet.allOf(PersistentScheme.class));
        }
    }

    /** One line per cell and shape: the time under each of {@code schemes}, then the replayed loop's. */
    @SafeVarargs
    private static void table(CudaBackend cuda, String title, boolean backward, Set<PersistentScheme>... schemes) {
        System.out.println(title);
        for (String cell : new String[] {"rnn", "lstm", "gru"}) {
            for (int[] s : SHAPES) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s T=%d B=%d H=%d:", cell, s[0],
                        s[1], s[2]));
                for (Set<PersistentScheme> scheme : schemes) {
                    String name = scheme.iterator().next().name().toLowerCase(Locale.ROOT);
                    line.append(time(cuda, cell, s, scheme, name, backward));
                }
                line.append(time(cuda, cell, s, EnumSet.noneOf(PersistentScheme.class), "loop", backward));
                System.out.println(line);
            }
        }
    }

    private static String time(CudaBackend cuda, String cell, int[] shape, Set<PersistentScheme> schemes, String name,
                               boolean backward) {
        int steps = shape[0];
        int batch = shape[1];
        int hidden = shape[2];
        PersistentCell kind = PersistentCell.of(cell);
        cuda.allowPersistentSchemes(schemes);
        boolean fits = schemes.isEmpty() || (backward ? cuda.clusterBackwardPlan(kind, batch, hidden).isPresent()
                : cuda.clusterPlan(kind, batch, hidden).isPresent() || cuda.gridPlan(kind, batch, hidden).isPresent());
        if (!fits) {
            return " " + name + " n/a;";
        }
        int gates = kind.gates;
        Random rnd = new Random(1);
        try (Tensor g = cuda.upload(DType.FLOAT32, HostMath.random(rnd, steps * batch * gates * hidden, 1),
                steps * batch, gates * hidden);
             Tensor w = cuda.upload(DType.FLOAT32, HostMath.random(rnd, gates * hidden * hidden,
                     (float) (1 / Math.sqrt(hidden))), gates * hidden, hidden);
             Tensor bias = cuda.upload(DType.FLOAT32, HostMath.random(rnd, gates * hidden, 0.1f), gates * hidden);
             Tensor states = cuda.allocate(DType.FLOAT32, (steps + 1) * batch, hidden);
             Tensor cells = cuda.allocate(DType.FLOAT32, (steps + 1) * batch, hidden);
             Tensor projection = cuda.allocate(DType.FLOAT32, steps * batch, gates * hidden);
             Tensor dOutput = cuda.upload(DType.FLOAT32, HostMath.random(rnd, steps * batch * hidden, 1),
                     steps * batch, hidden);
             Tensor dGates = cuda.allocate(DType.FLOAT32, steps * batch, gates * hidden);
             Tensor dProjection = cuda.allocate(DType.FLOAT32, steps * batch, gates * hidden);
             Tensor dHidden = cuda.allocate(DType.FLOAT32, batch, hidden);
             Tensor dCell = cuda.allocate(DType.FLOAT32, batch, hidden)) {
            // each backward call starts from the dHidden and dCell the previous one left (bounded, finite values)
            cuda.fill(dHidden, 0);
            cuda.fill(dCell, 0);
            Runnable call = backward ? switch (cell) {
                case "lstm" -> () -> cuda.lstmSequenceBackward(TimeDirection.FORWARD, null, g, w, cells, dOutput,
                        dGates, dHidden, dCell);
                case "gru" -> () -> cuda.gruSequenceBackward(TimeDirection.FORWARD, null, g, projection, w, states,
                        dOutput, dGates, dProjection, dHidden);
                default -> () -> cuda.rnnSequenceBackward(TimeDirection.FORWARD, null, Activation.TANH, w, states,
                        dOutput, dGates, dHidden);
            } : switch (cell) {
                case "lstm" -> () -> cuda.lstmSequenceForward(TimeDirection.FORWARD, null, g, w, states, cells);
                case "gru" -> () -> cuda.gruSequenceForward(TimeDirection.FORWARD, null, g, projection, w, bias,
                        states);
                default -> () -> cuda.rnnSequenceForward(TimeDirection.FORWARD, null, Activation.TANH, g, w,
                        states);
            };
            for (int i = 0; i < 5; i++) {
                call.run();
            }
            cuda.synchronize();
            int runs = 40;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                call.run();
            }
            cuda.synchronize();
            double ms = (System.nanoTime() - start) / 1e6 / runs;
            return String.format(Locale.ROOT, " %s %.4f;", name, ms);
        }
    }
}
