package dev.unroll.training.data;

/**
 * A batch of adding-problem examples laid out for a recurrent stack.
 *
 * @param sequenceLength {@code T}
 * @param batchSize      {@code B}
 * @param inputs         {@code [T, B, 2]} time-major, row-major: element {@code (t, b, f)} at
 *                       {@code (t*B + b)*2 + f}; feature 0 the value, feature 1 the marker
 * @param targets        {@code [B]} the sums of the two marked values
 * @param firstMarkers   {@code [B]} the step of the first marker (in the first half)
 * @param secondMarkers  {@code [B]} the step of the second marker (in the second half)
 */
public record AddingBatch(int sequenceLength, int batchSize, float[] inputs, float[] targets,
                          int[] firstMarkers, int[] secondMarkers) {

    /** Feature {@code f} of example {@code b} at step {@code t}. */
    public float input(int t, int b, int f) {
        return inputs[(t * batchSize + b) * AddingProblem.FEATURES + f];
    }
}
