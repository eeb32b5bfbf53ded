package dev.unroll.benchmarks;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.SplittableRandom;

/**
 * The machine's float32 GEMM rate through a backend: {@code C = A B} for square {@code n x n} matrices,
 * {@code 2 n^3} operations per call. The recurrent benchmark's large shapes are judged against it.
 */
public final class GemmBenchmark {

    /** The largest {@code n}: an {@code n x n} matrix is filled from one Java array, whose length is an int. */
    public static final int MAX_SIZE = 46_340;

    /** The median time of one GEMM and the rate it gives. */
    public record Rate(int n, double millis, double gflops) {
    }

    private GemmBenchmark() {
    }

    /** Fails unless {@code n} is a size {@link #run} can measure; callers check before opening a backend. */
    public static void checkSize(int n) {
        if (n < 1 || n > MAX_SIZE) {
            throw new IllegalArgumentException("the GEMM size (--gemm-size) must be between 1 and " + MAX_SIZE
                    + ", so that an n x n matrix fits one Java array; was " + n);
        }
    }

    /** Times {@code iterations} GEMMs of size {@code n} after {@code warmup} untimed ones. */
    public static Rate run(Backend backend, int n, int warmup, int iterations) {
        checkSize(n);
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[n * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        try (Tensor a = backend.upload(DType.FLOAT32, values, n, n);
             Tensor b = backend.upload(DType.FLOAT32, values, n, n);
             Tensor c = backend.allocate(DType.FLOAT32, n, n)) {
            Runnable gemm = () -> backend.gemm(false, false, 1, a, b, 0, c);
            Stopwatch.warmUp(warmup, 0, gemm);
            double millis = Stopwatch.medianMillis(iterations, gemm);
            return new Rate(n, millis, 2.0 * n * n * n / (millis * 1e6));
        }
    }
}
