package dev.unroll.training.model;

import java.util.Arrays;
import java.util.List;

/**
 * Per-sequence values laid out the way every batch stores them, time-major: the value of step {@code t} of
 * sequence {@code b} at {@code [t * B + b]}, a filler past each sequence's end. The one padding routine behind
 * token inputs and per-step targets alike.
 */
final class TimeMajor {
    /**
     * The target of a step without one (padding): negative, so softmax cross-entropy counts neither loss nor
     * gradient for it.
     */
    static final int IGNORED_TARGET = -1;

    private TimeMajor() {
    }

    /**
     * {@code [steps * B]} values of {@code sequences}, none longer than {@code steps}, with {@code filler} after
     * each one's end.
     */
    static int[] pad(List<int[]> sequences, int steps, int filler) {
        int batch = sequences.size();
        int[] out = new int[steps * batch];
        Arrays.fill(out, filler);
        for (int b = 0; b < batch; b++) {
            int[] sequence = sequences.get(b);
            if (sequence.length > steps) {
                throw new IllegalArgumentException("sequence " + b + " has " + sequence.length
                        + " steps, more than the batch's " + steps);
            }
            for (int t = 0; t < sequence.length; t++) {
                out[t * batch + b] = sequence[t];
            }
        }
        return out;
    }

    /** Per-step targets, {@link #IGNORED_TARGET} after each sequence's end. */
    static int[] targets(List<int[]> targets, int steps) {
        return pad(targets, steps, IGNORED_TARGET);
    }
}
