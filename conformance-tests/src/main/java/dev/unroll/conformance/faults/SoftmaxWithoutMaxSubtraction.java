package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * The textbook softmax {@code exp(x) / sum(exp(x))} without subtracting the row maximum: right for small
 * logits, infinite over infinite (NaN) once a logit passes about 709 (88 in float32).
 */
final class SoftmaxWithoutMaxSubtraction extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("softmax-without-max-subtraction",
            "softmaxCrossEntropy exponentiates the raw logits, overflowing for large ones",
            SoftmaxWithoutMaxSubtraction::new);

    SoftmaxWithoutMaxSubtraction(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor probabilities) {
        int rows = logits.rows();
        int cols = logits.cols();
        double[] x = new double[rows * cols];
        delegate.download(logits, x);
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[i * cols + j]);
            }
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = Math.exp(x[i * cols + j]) / sum;
            }
            if (targets[i] >= 0) {
                loss -= Math.log(x[i * cols + targets[i]]);
            }
        }
        delegate.upload(x, probabilities);
        return loss;
    }
}
