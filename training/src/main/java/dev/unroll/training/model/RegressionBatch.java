package dev.unroll.training.model;

/**
 * Sequences with {@code K} real targets each, for a {@link SequenceRegressor}.
 *
 * @param input   {@code B} sequences
 * @param targets {@code [B, K]} row-major, single precision as {@link FeatureSequences#values()} (a FLOAT64 model
 *                reads them widened exactly)
 */
public record RegressionBatch(SequenceInput input, float[] targets) {
    public RegressionBatch {
        if (targets.length == 0 || targets.length % input.batch() != 0) {
            throw new IllegalArgumentException(targets.length + " targets do not divide into " + input.batch()
                    + " sequences");
        }
    }

    /** {@code K}: targets per sequence. */
    public int outputs() {
        return targets.length / input.batch();
    }
}
