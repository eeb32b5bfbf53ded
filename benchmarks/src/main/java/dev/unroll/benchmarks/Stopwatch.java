package dev.unroll.benchmarks;

import java.util.Arrays;

/** Times repeated runs of an action and reports the median, the statistic robust to a noisy shared machine. */
final class Stopwatch {
    private Stopwatch() {
    }

    /**
     * Runs {@code action} {@code warmup} times untimed (JIT compilation, buffer caches, thread pools), then
     * {@code iterations} times timed.
     *
     * @return the median time of one run, in milliseconds
     */
    static double medianMillis(int warmup, int iterations, Runnable action) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
        }
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            action.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return iterations % 2 == 1 ? millis[iterations / 2]
                : (millis[iterations / 2 - 1] + millis[iterations / 2]) / 2;
    }
}
