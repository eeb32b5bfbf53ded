package dev.unroll.training.loss;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.nn.SeededRandom;
import org.junit.jupiter.api.Test;

/** The losses' mean reductions and masks, against host formulas (PyTorch's definitions). */
class LossTest extends FreshBackendPerTest {
    private final SeededRandom random = new SeededRandom(3);

    @Test
    void crossEntropyAveragesOverTheRowsWithATargetOnly() {
        int rows = 4;
        int classes = 3;
        double[] logits = TestSupport.randomDoubles(random, rows * classes);
        int[] targets = {2, -1, 0, -1};
        try (Tensor l = backend.upload(DType.FLOAT64, logits, rows, classes);
             Tensor p = backend.allocate(DType.FLOAT64, rows, classes);
             Tensor d = backend.allocate(DType.FLOAT64, rows, classes)) {
            double loss = SoftmaxCrossEntropy.forward(l, targets, p);
            SoftmaxCrossEntropy.backward(p, targets, d);
            double expected = 0;
            double[] expectedGrad = new double[rows * classes];
            for (int r = 0; r < rows; r++) {
                if (targets[r] < 0) {
                    continue;
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(logits[r * classes + c]);
                }
                expected -= Math.log(Math.exp(logits[r * classes + targets[r]]) / sum) / 2;
                for (int c = 0; c < classes; c++) {
                    double prob = Math.exp(logits[r * classes + c]) / sum;
                    expectedGrad[r * classes + c] = (prob - (c == targets[r] ? 1 : 0)) / 2;
                }
            }
            assertClose("mean cross-entropy over 2 counted rows", expected, loss, Tolerance.FLOAT64);
            assertClose("dLogits (zero on padded rows)", expectedGrad, d.toDoubleArray(), Tolerance.FLOAT64);
        }
    }

    @Test
    void crossEntropyOfAnAllPaddedBatchIsZeroWithZeroGradient() {
        try (Tensor l = backend.upload(DType.FLOAT32, new float[] {1, 2}, 1, 2);
             Tensor p = backend.allocate(DType.FLOAT32, 1, 2);
             Tensor d = backend.allocate(DType.FLOAT32, 1, 2)) {
            assertEquals(0.0, SoftmaxCrossEntropy.forward(l, new int[] {-1}, p));
            backend.fill(d, 5);
            SoftmaxCrossEntropy.backward(p, new int[] {-1}, d);
            assertEquals(0.0, backend.maxAbs(d));
        }
    }

    @Test
    void meanSquaredErrorIsTheMeanOverAllElements() {
        double[] y = {1, 2, 3, 4, 5, 6};
        double[] t = {1.5, 2, 2, 4, 7, 6};
        try (Tensor yt = backend.upload(DType.FLOAT64, y, 3, 2);
             Tensor tt = backend.upload(DType.FLOAT64, t, 3, 2);
             Tensor d = backend.allocate(DType.FLOAT64, 3, 2)) {
            double loss = MeanSquaredError.forwardBackward(yt, tt, d);
            double expected = 0;
            double[] expectedGrad = new double[6];
            for (int i = 0; i < 6; i++) {
                expected += (y[i] - t[i]) * (y[i] - t[i]) / 6;
                expectedGrad[i] = 2 * (y[i] - t[i]) / 6;
            }
            assertClose("mse", expected, loss, Tolerance.FLOAT64);
            assertClose("dmse", expectedGrad, d.toDoubleArray(), Tolerance.FLOAT64);
        }
    }
}
