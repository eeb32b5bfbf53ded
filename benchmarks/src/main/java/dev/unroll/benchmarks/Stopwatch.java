package dev.unroll.benchmarks;

import java.util.Arrays;

/** Times repeated runs of an action and reports the median, the statistic robust to a noisy shared machine. */
final class Stopwatch {
    private Stopwatch() {
    }

    /**
     * Runs the actions in turn, untimed, at least {@code warmup} rounds and for at least {@code minMillis}:
     * HotSpot compiles a method with C2 only after some ten thousand calls or loop iterations, so a fixed
     * round count leaves small shapes timed in the interpreter; running every action to be timed warms all
     * the code they share.
     */
    static void warmUp(int warmup, long minMillis, Runnable... actions) {
        long deadline = System.nanoTime() + minMillis * 1_000_000;
        for (int round = 0; round < warmup || System.nanoTime() < deadline; round++) {
            for (Runnable action : actions) {
                action.run();
            }
        }
    }

    /**
     * Runs {@code action} {@code iterations} times, timed (warm it up first, see {@link #warmUp}).
     *
     * @return the median time of one run, in milliseconds
     */
    static double medianMillis(int iterations, Runnable action) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
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
