package dev.unroll.benchmarks;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.CellType;
import dev.unroll.cells.InputGradient;
import dev.unroll.cells.InputGradients;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The recurrent-layer benchmark behind {@code unroll-bench.jar} and the CLI's {@code unroll bench}: one
 * single-layer, unidirectional float32 layer on a {@code [T, B, I]} input, timed as (a) an inference forward
 * and (b) a forward plus full BPTT backward of {@code sum(output)} (dy = 1), which computes every parameter
 * gradient, and dx only if asked ({@link InputGradient}): the PyTorch anchors it is compared with leave x without
 * {@code requires_grad}, so PyTorch skips dx. Reports medians after warm-up, like those anchors.
 */
public final class RecurrentBenchmark {

    /**
     * What to measure: the cell, the shape (T, B, I, H), whether the backward computes dx, and how often: at least
     * {@code warmup} untimed rounds and {@code warmupMillis} of them (JIT compilation), then {@code iterations}
     * timed runs of each pass.
     */
    public record Spec(CellType cell, int steps, int batch, int inputSize, int hiddenSize, InputGradient inputGradient,
                       int warmup, long warmupMillis, int iterations, long seed) {
        public Spec {
            Objects.requireNonNull(inputGradient, "inputGradient");
            if (steps < 1 || batch < 1 || inputSize < 1 || hiddenSize < 1) {
                throw new IllegalArgumentException("T, B, I and H must be >= 1: " + steps + ", " + batch + ", "
                        + inputSize + ", " + hiddenSize);
            }
            if (warmup < 0 || warmupMillis < 0 || iterations < 1) {
                throw new IllegalArgumentException("warmup and warmupMillis must be >= 0 and iterations >= 1: "
                        + warmup + ", " + warmupMillis + ", " + iterations);
            }
        }

        /**
         * Floating-point operations of the GEMMs of one forward (input projection and recurrent product):
         * {@code 2 T B G H (I + H)} for G gates.
         */
        public double forwardGemmFlops() {
            return 2.0 * steps * batch * cell.gateCount() * hiddenSize * ((double) inputSize + hiddenSize);
        }

        /**
         * Floating-point operations of the GEMMs of forward plus backward as this framework runs them: the
         * forward's, plus dW_ih, dW_hh, the recurrent dh products and, if computed, dx ({@code 2 T B G H I} each for
         * the input side, {@code 2 T B G H H} for the recurrent side).
         */
        public double forwardBackwardGemmFlops() {
            double dx = 2.0 * steps * batch * cell.gateCount() * hiddenSize * inputSize;
            return 3 * forwardGemmFlops() - (inputGradient == InputGradient.SKIP ? dx : 0);
        }
    }

    /** Medians in milliseconds. */
    public record Timing(double forwardMillis, double forwardBackwardMillis) {
    }

    private RecurrentBenchmark() {
    }

    /** Runs the benchmark on {@code backend}, which stays open. */
    public static Timing run(Backend backend, Spec spec) {
        return withPasses(backend, spec, (forward, forwardBackward) -> {
            Stopwatch.warmUp(spec.warmup(), spec.warmupMillis(), forward, forwardBackward);
            return new Timing(Stopwatch.medianMillis(spec.iterations(), forward),
                    Stopwatch.medianMillis(spec.iterations(), forwardBackward));
        });
    }

    /**
     * Where the time of each pass goes on {@code backend} (which stays open): after the same warm-up as
     * {@link #run}, {@code spec.iterations()} passes of each kind through an {@link OpProfile}.
     *
     * @return the forward's table, then the forward plus backward's
     */
    public static String profile(Backend backend, Spec spec) {
        OpProfile profile = OpProfile.of(backend);
        return withPasses(profile.backend(), spec, (forward, forwardBackward) -> {
            Stopwatch.warmUp(spec.warmup(), spec.warmupMillis(), forward, forwardBackward);
            String shape = spec.cell() + " (" + spec.steps() + ", " + spec.batch() + ", " + spec.inputSize() + ", "
                    + spec.hiddenSize() + ") on " + backend.name();
            profile.reset();
            for (int i = 0; i < spec.iterations(); i++) {
                forward.run();
            }
            String tables = profile.table("forward, " + shape, spec.iterations());
            profile.reset();
            for (int i = 0; i < spec.iterations(); i++) {
                forwardBackward.run();
            }
            return tables + profile.table("forward+backward, " + shape, spec.iterations());
        });
    }

    /** Builds the layer and its input on {@code backend} and hands {@code body} the two passes to time. */
    private static <T> T withPasses(Backend backend, Spec spec, BiFunction<Runnable, Runnable, T> body) {
        RecurrentConfig config = RecurrentConfig.of(spec.cell(), spec.inputSize(), spec.hiddenSize());
        try (RecurrentStack layer = new RecurrentStack(backend, DType.FLOAT32, config);
             Tensor x = backend.allocate(DType.FLOAT32, spec.steps(), spec.batch(), spec.inputSize());
             Tensor dy = backend.allocate(DType.FLOAT32, spec.steps(), spec.batch(), spec.hiddenSize())) {
            layer.initialize(spec.seed());
            backend.upload(uniform(new SplittableRandom(spec.seed() + 1), (int) x.size()), x);
            backend.fill(dy, 1);  // the gradient of sum(output)
            // each timed run ends when the device has finished, not when its work is enqueued (a GPU backend)
            Runnable forward = () -> {
                try (RecurrentPass pass = layer.forward(x, null, null, null, false)) {
                    pass.output();
                    backend.synchronize();
                }
            };
            Runnable forwardBackward = () -> {
                try (RecurrentPass pass = layer.forward(x, null, null, null, true);
                     InputGradients grads = layer.backward(pass, dy, null, null, Integer.MAX_VALUE,
                             spec.inputGradient())) {
                    grads.dh0();
                    backend.synchronize();
                }
            };
            return body.apply(forward, forwardBackward);
        }
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }
}
