package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.training.loss.MeanSquaredError;
import dev.unroll.training.loss.SoftmaxCrossEntropy;
import dev.unroll.training.nn.Dense;

/** A dense head followed by a loss, forward and (optionally) backward to the head's input. */
final class HeadLosses {
    private HeadLosses() {
    }

    /**
     * Softmax cross-entropy of {@code head(features)}.
     *
     * @param features  {@code [N, in]} (e.g. a stack's output {@code [T, B, D*H]} read as {@code [T*B, D*H]})
     * @param targets   {@code [N]} class ids, negative for padding
     * @param dFeatures {@code [N, in]} output: dL/d(features); null for evaluation only
     * @return the mean loss over the counted rows
     */
    static double crossEntropy(Dense head, Tensor features, int[] targets, Tensor dFeatures) {
        Backend be = features.backend();
        int rows = features.rows();
        try (Tensor logits = be.allocate(features.dtype(), rows, head.outputSize());
             Tensor probabilities = be.allocate(features.dtype(), rows, head.outputSize())) {
            head.forward(features, logits);
            double loss = SoftmaxCrossEntropy.forward(logits, targets, probabilities);
            if (dFeatures != null) {
                Tensor dLogits = logits; // the logits are no longer needed
                SoftmaxCrossEntropy.backward(probabilities, targets, dLogits);
                head.backward(features, dLogits, dFeatures);
            }
            return loss;
        }
    }

    /**
     * Mean squared error of {@code head(features)} against {@code targets [N, out]}.
     *
     * @param dFeatures {@code [N, in]} output: dL/d(features); null for evaluation only
     */
    static double meanSquaredError(Dense head, Tensor features, float[] targets, Tensor dFeatures) {
        Backend be = features.backend();
        int rows = features.rows();
        try (Tensor prediction = be.allocate(features.dtype(), rows, head.outputSize());
             Tensor target = be.upload(features.dtype(), targets, rows, head.outputSize())) {
            head.forward(features, prediction);
            Tensor dPrediction = dFeatures == null ? null : prediction; // overwritten after the loss is taken
            double loss = MeanSquaredError.forwardBackward(prediction, target, dPrediction);
            if (dFeatures != null) {
                head.backward(features, dPrediction, dFeatures);
            }
            return loss;
        }
    }

    /** {@code head(features)} on the host, row-major {@code [N, out]}. */
    static double[] outputs(Dense head, Tensor features) {
        try (Tensor out = features.backend().allocate(features.dtype(), features.rows(), head.outputSize())) {
            head.forward(features, out);
            return out.toDoubleArray();
        }
    }
}
