package dev.unroll.training.optim;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.SeededRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code torch.optim.RMSprop(momentum=...)}: the config carries a momentum for RMSProp, and torch's rule keeps a
 * buffer of the normalized steps, {@code buf = momentum * buf + g / (sqrt(s) + eps)}, {@code p -= lr * buf}
 * (buffer zero before the first step). A config with momentum must not silently train without it.
 */
class RmsPropMomentumTest {
    private static final int STEPS = 5;
    private static final int SIZE = 6;
    private Backend backend;

    @BeforeEach
    void open() {
        backend = TestSupport.backend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    /** The gradient of step {@code s}, drawn afresh so the buffer sees changing inputs. */
    private static double[] gradient(int s) {
        return TestSupport.randomDoubles(new SeededRandom(200 + s), SIZE);
    }

    private static double[] initial() {
        return TestSupport.randomDoubles(new SeededRandom(7), SIZE);
    }

    private static OptimizerConfig config() {
        return OptimizerConfig.rmsprop(0.01).withMomentum(0.9).withWeightDecay(0.05);
    }

    /** Runs steps {@code from .. to-1} on {@code value}, with {@code optimizer}. */
    private static void steps(Optimizer optimizer, Tensor value, Tensor grad, int from, int to) {
        List<NamedParameter> params = List.of(new NamedParameter("w", value, grad));
        for (int s = from; s < to; s++) {
            grad.copyFrom(gradient(s));
            optimizer.step(params, optimizer.config().learningRate());
        }
    }

    /** The host transcription of torch.optim.RMSprop's single-tensor update (not centered). */
    private static double[] torchRule(OptimizerConfig c) {
        double[] p = initial();
        double[] squareAvg = new double[SIZE];
        double[] buf = new double[SIZE];
        for (int s = 0; s < STEPS; s++) {
            double[] g = gradient(s);
            for (int i = 0; i < SIZE; i++) {
                double gi = g[i] + c.weightDecay() * p[i];
                squareAvg[i] = c.alpha() * squareAvg[i] + (1 - c.alpha()) * gi * gi;
                double avg = Math.sqrt(squareAvg[i]) + c.epsilon();
                buf[i] = c.momentum() * buf[i] + gi / avg;
                p[i] -= c.learningRate() * buf[i];
            }
        }
        return p;
    }

    @Test
    void momentumFollowsTorchsRule() {
        double[] expected = torchRule(config());
        // Without the buffer the result moves by far more than the tolerance: the check can tell them apart.
        double[] withoutMomentum = torchRule(config().withMomentum(0));
        double gap = 0;
        for (int i = 0; i < SIZE; i++) {
            gap = Math.max(gap, Math.abs(expected[i] - withoutMomentum[i]));
        }
        assertTrue(gap > 1e-3, "momentum changes the trajectory, gap " + gap);

        try (Tensor value = backend.upload(DType.FLOAT64, initial(), SIZE);
             Tensor grad = backend.allocate(DType.FLOAT64, SIZE);
             Optimizer optimizer = config().create()) {
            steps(optimizer, value, grad, 0, STEPS);
            assertClose("rmsprop with momentum", expected, value.toDoubleArray(), Tolerance.FLOAT64);
        }
    }

    @Test
    void theMomentumBufferIsSavedAndARestoredRunContinuesBitForBit() {
        double[] straight;
        try (Tensor value = backend.upload(DType.FLOAT64, initial(), SIZE);
             Tensor grad = backend.allocate(DType.FLOAT64, SIZE);
             Optimizer optimizer = config().create()) {
            steps(optimizer, value, grad, 0, STEPS);
            straight = value.toDoubleArray();
        }
        try (Tensor value = backend.upload(DType.FLOAT64, initial(), SIZE);
             Tensor grad = backend.allocate(DType.FLOAT64, SIZE)) {
            OptimizerState saved;
            try (Optimizer first = config().create()) {
                steps(first, value, grad, 0, 2);
                saved = first.state();
            }
            assertTrue(saved.slots().containsKey(Sgd.MOMENTUM_BUFFER + "/w"), "slots " + saved.slots().keySet());
            try (Optimizer second = config().create()) {
                second.restore(saved);
                steps(second, value, grad, 2, STEPS);
            }
            assertArrayEquals(straight, value.toDoubleArray());
        }
    }
}
