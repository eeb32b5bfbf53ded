package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * The loss gradient that skips the one-hot subtraction for padded rows but forgets to zero them: padding
 * then trains the model.
 */
final class SoftmaxBackwardKeepsIgnoredRows extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("softmax-backward-keeps-ignored-rows",
            "softmaxCrossEntropyBackward writes scale * p instead of 0 for rows with a negative target",
            SoftmaxBackwardKeepsIgnoredRows::new);

    SoftmaxBackwardKeepsIgnoredRows(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probabilities, int[] targets, double scale, Tensor dLogits) {
        delegate.softmaxCrossEntropyBackward(probabilities, targets, scale, dLogits);
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0) {
                try (Tensor p = delegate.viewRows(probabilities, i, 1);
                     Tensor d = delegate.viewRows(dLogits, i, 1)) {
                    delegate.scale(scale, p, d);
                }
            }
        }
    }
}
