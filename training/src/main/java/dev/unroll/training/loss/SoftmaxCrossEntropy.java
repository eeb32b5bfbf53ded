package dev.unroll.training.loss;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * Softmax cross-entropy over the rows of a logit matrix, mean-reduced over the rows that count, as PyTorch's
 * {@code nn.CrossEntropyLoss(ignore_index=...)}: a negative target marks a padded row, which adds no loss and
 * gets no gradient, and the mean divides by the number of rows with a target.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * @param logits        {@code [N, C]}
     * @param targets       {@code N} class ids in {@code [0, C)}, or negative for a padded row
     * @param probabilities {@code [N, C]}, output: the row-wise softmax, kept for {@link #backward}
     * @return the mean loss over the rows with a target; 0 when there are none
     */
    public static double forward(Tensor logits, int[] targets, Tensor probabilities) {
        checkTargets(targets, logits.cols());
        int counted = countedRows(targets);
        double sum = logits.backend().softmaxCrossEntropy(logits, targets, probabilities);
        return counted == 0 ? 0.0 : sum / counted;
    }

    /**
     * Writes {@code dLogits = d(mean loss)/d(logits)}, zero on padded rows.
     *
     * @param probabilities {@code [N, C]} from {@link #forward}
     * @param dLogits       {@code [N, C]}, output
     */
    public static void backward(Tensor probabilities, int[] targets, Tensor dLogits) {
        int counted = countedRows(targets);
        Backend be = probabilities.backend();
        if (counted == 0) {
            be.fill(dLogits, 0.0);
            return;
        }
        be.softmaxCrossEntropyBackward(probabilities, targets, 1.0 / counted, dLogits);
    }

    /** Rows whose target is not negative. */
    public static int countedRows(int[] targets) {
        int n = 0;
        for (int t : targets) {
            if (t >= 0) {
                n++;
            }
        }
        return n;
    }

    private static void checkTargets(int[] targets, int classes) {
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= classes) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: target " + targets[i] + " of row " + i
                        + " is not a class in [0, " + classes + ")");
            }
        }
    }
}
