package dev.unroll.training.model;

/**
 * A batch of input sequences, time-major and padded to the longest: token ids ({@link TokenSequences}) for a
 * model with an embedding, or dense features ({@link FeatureSequences}) for one that reads vectors directly.
 */
public sealed interface SequenceInput permits TokenSequences, FeatureSequences {

    /** {@code T}: steps of the longest sequence. */
    int steps();

    /** {@code B}: sequences in the batch. */
    int batch();

    /** Each sequence's length, in {@code [1, T]}. */
    int[] lengths();

    /**
     * Steps {@code first .. first+count-1} of every sequence; lengths are cut to the window and kept at least
     * 1 (a sequence that ended earlier reads padding, whose targets the caller masks).
     */
    SequenceInput sliceTime(int first, int count);

    /** Lengths of the window {@code [first, first+count)}, at least 1 each. */
    static int[] windowLengths(int[] lengths, int first, int count) {
        int[] out = new int[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            out[b] = Math.max(1, Math.min(count, lengths[b] - first));
        }
        return out;
    }
}
