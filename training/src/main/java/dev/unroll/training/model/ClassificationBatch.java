package dev.unroll.training.model;

/**
 * Sequences with one class each, for a {@link SequenceClassifier}.
 *
 * @param input  {@code B} sequences
 * @param labels {@code [B]} class ids
 */
public record ClassificationBatch(SequenceInput input, int[] labels) {
    public ClassificationBatch {
        if (labels.length != input.batch()) {
            throw new IllegalArgumentException(labels.length + " labels for " + input.batch() + " sequences");
        }
    }
}
