package dev.unroll.training.data;

/**
 * Token sequences of different lengths padded to one time-major block, the layout a recurrent stack reads
 * ({@code [T, B]}: the ids of step {@code t} are {@code ids[t*B .. t*B+B-1]}), so one embedding gather
 * gives the {@code [T, B, E]} input directly.
 *
 * @param maxLength {@code T}, the longest sequence's length
 * @param batchSize {@code B}
 * @param ids       {@code [T*B]} token ids, {@link Vocabulary#PAD_ID} after each sequence's end
 * @param lengths   {@code [B]} each sequence's true length, what a variable-length forward needs
 */
public record PaddedBatch(int maxLength, int batchSize, int[] ids, int[] lengths) {

    public PaddedBatch {
        if (ids.length != maxLength * batchSize || lengths.length != batchSize) {
            throw new IllegalArgumentException("ids must hold T*B = " + maxLength + "*" + batchSize
                    + " values and lengths B, were " + ids.length + " and " + lengths.length);
        }
    }

    /** The id of sequence {@code b} at step {@code t}. */
    public int id(int t, int b) {
        return ids[t * batchSize + b];
    }
}
