package dev.unroll.training.loss;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** Mean squared error over all elements, PyTorch's {@code nn.MSELoss()}: {@code L = sum((y - t)^2) / n}. */
public final class MeanSquaredError {
    private MeanSquaredError() {
    }

    /**
     * @param prediction {@code [N, K]}
     * @param target     {@code [N, K]}
     * @param dPrediction {@code [N, K]}, output: {@code dL/dy = 2 (y - t) / n}; may be null for evaluation only
     * @return the mean loss
     */
    public static double forwardBackward(Tensor prediction, Tensor target, Tensor dPrediction) {
        Backend be = prediction.backend();
        long n = prediction.size();
        try (Tensor diff = be.allocate(prediction.dtype(), prediction.rows(), prediction.cols())) {
            be.sub(prediction, target, diff);
            double loss = be.sumOfSquares(diff) / n;
            if (dPrediction != null) {
                be.scale(2.0 / n, diff, dPrediction);
            }
            return loss;
        }
    }
}
