package dev.unroll.training.model;

import dev.unroll.training.data.Vocabulary;
import java.util.Arrays;
import java.util.List;

/**
 * Token-id sequences of a batch, padded with {@link Vocabulary#PAD_ID} and stored time-major: the id of step
 * {@code t} of sequence {@code b} is {@code ids[t * batch + b]}. Any valid id would do as padding, since the
 * recurrent stack ignores padded steps; the vocabulary's padding token keeps one constant for it.
 *
 * @param ids     {@code [T * B]} time-major ids
 * @param lengths {@code [B]} each sequence's length in {@code [1, T]}
 * @param steps   {@code T}
 * @param batch   {@code B}
 */
public record TokenSequences(int[] ids, int[] lengths, int steps, int batch) implements SequenceInput {

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
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = sequences.get(b).length;
            if (lengths[b] == 0) {
                throw new IllegalArgumentException("TokenSequences.pad: sequence " + b + " is empty");
            }
        }
        int steps = Arrays.stream(lengths).max().orElseThrow();
        return new TokenSequences(TimeMajor.pad(sequences, steps, Vocabulary.PAD_ID), lengths, steps, batch);
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
