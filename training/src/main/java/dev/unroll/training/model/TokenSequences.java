package dev.unroll.training.model;

import java.util.Arrays;
import java.util.List;

/**
 * Token-id sequences of a batch, padded with {@link #PAD_ID} and stored time-major: the id of step {@code t} of
 * sequence {@code b} is {@code ids[t * batch + b]}.
 *
 * @param ids     {@code [T * B]} time-major ids
 * @param lengths {@code [B]} each sequence's length in {@code [1, T]}
 * @param steps   {@code T}
 * @param batch   {@code B}
 */
public record TokenSequences(int[] ids, int[] lengths, int steps, int batch) implements SequenceInput {
    /** The id written into padding; any valid id works since the recurrent stack ignores padded steps. */
    public static final int PAD_ID = 0;

    public TokenSequences {
        if (steps < 1 || batch < 1 || ids.length != steps * batch || lengths.length != batch) {
            throw new IllegalArgumentException("TokenSequences: " + ids.length + " ids and " + lengths.length
                    + " lengths do not fit T=" + steps + ", B=" + batch);
        }
        for (int len : lengths) {
            if (len < 1 || len > steps) {
                throw new IllegalArgumentException("TokenSequences: length " + len + " outside [1, " + steps + "]");
            }
        }
    }

    /** Pads variable-length sequences (each at least one token) into a time-major batch. */
    public static TokenSequences pad(List<int[]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("TokenSequences.pad: no sequences");
        }
        int batch = sequences.size();
        int steps = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int[] ids = new int[steps * batch];
        Arrays.fill(ids, PAD_ID);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] s = sequences.get(b);
            if (s.length == 0) {
                throw new IllegalArgumentException("TokenSequences.pad: sequence " + b + " is empty");
            }
            lengths[b] = s.length;
            for (int t = 0; t < s.length; t++) {
                ids[t * batch + b] = s[t];
            }
        }
        return new TokenSequences(ids, lengths, steps, batch);
    }

    /** The id at step {@code t} of sequence {@code b}. */
    public int id(int t, int b) {
        return ids[t * batch + b];
    }

    /** Sequence {@code b} without padding. */
    public int[] sequence(int b) {
        int[] s = new int[lengths[b]];
        for (int t = 0; t < s.length; t++) {
            s[t] = id(t, b);
        }
        return s;
    }

    @Override
    public TokenSequences sliceTime(int first, int count) {
        int[] window = Arrays.copyOfRange(ids, first * batch, (first + count) * batch);
        return new TokenSequences(window, SequenceInput.windowLengths(lengths, first, count), count, batch);
    }
}
