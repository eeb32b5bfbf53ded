package dev.unroll.training.optim;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.SeededRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each optimizer against a host transcription of the torch.optim update rule, over several steps with weight
 * decay, and the bit-exact continuation of a restored state.
 */
class OptimizerTest extends FreshBackendPerTest {
    private static final int STEPS = 4;
    private static final int SIZE = 6;
    /** The gradient of step {@code s}: drawn afresh so momentum and moments see changing inputs. */
    private static double[] gradient(int s) {
        return TestSupport.randomDoubles(new SeededRandom(100 + s), SIZE);
    }

    private static double[] initial() {
        return TestSupport.randomDoubles(new SeededRandom(1), SIZE);
    }

    /** Runs {@code steps} updates on the backend and returns the parameter. */
    private double[] run(OptimizerConfig config, double lr) {
        try (Tensor value = backend.upload(DType.FLOAT64, initial(), SIZE);
             Tensor grad = backend.allocate(DType.FLOAT64, SIZE);
             Optimizer optimizer = config.create()) {
            List<NamedParameter> params = List.of(new NamedParameter("w", value, grad));
            for (int s = 0; s < STEPS; s++) {
                grad.copyFrom(gradient(s));
                optimizer.step(params, lr);
            }
            assertEquals(STEPS, optimizer.steps());
            return value.toDoubleArray();
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecayIsTorchsRule() {
        double lr = 0.1;
        double momentum = 0.9;
        double decay = 0.01;
        double[] p = initial();
        double[] buf = null;
        for (int s = 0; s < STEPS; s++) {
            double[] g = gradient(s);
            for (int i = 0; i < SIZE; i++) {
                g[i] += decay * p[i];
            }
            if (buf == null) {
                buf = g.clone();
            } else {
                for (int i = 0; i < SIZE; i++) {
                    buf[i] = momentum * buf[i] + g[i];
                }
            }
            for (int i = 0; i < SIZE; i++) {
                p[i] -= lr * buf[i];
            }
        }
        assertClose("sgd", p, run(OptimizerConfig.sgd(lr, momentum).withWeightDecay(decay), lr), Tolerance.FLOAT64);
    }

    @Test
    void adamIsTorchsRule() {
        double lr = 0.01;
        double decay = 0.02;
        OptimizerConfig c = OptimizerConfig.adam(lr).withWeightDecay(decay);
        double[] p = initial();
        double[] m = new double[SIZE];
        double[] v = new double[SIZE];
        for (int s = 0; s < STEPS; s++) {
            double[] g = gradient(s);
            int step = s + 1;
            for (int i = 0; i < SIZE; i++) {
                double gi = g[i] + decay * p[i];
                m[i] = c.beta1() * m[i] + (1 - c.beta1()) * gi;
                v[i] = c.beta2() * v[i] + (1 - c.beta2()) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(c.beta1(), step));
                double vHat = v[i] / (1 - Math.pow(c.beta2(), step));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + c.epsilon());
            }
        }
        assertClose("adam", p, run(c, lr), Tolerance.FLOAT64);
    }

    /** Without momentum, and with it: a config that carries a momentum must not train without it. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 0.9})
    void rmsPropIsTorchsRule(double momentum) {
        double lr = 0.01;
        double decay = 0.05;
        OptimizerConfig c = OptimizerConfig.rmsprop(lr).withWeightDecay(decay).withMomentum(momentum);
        double[] p = initial();
        double[] sq = new double[SIZE];
        double[] buf = new double[SIZE]; // torch zero-initialises this buffer (SGD's starts as a copy of g)
        for (int s = 0; s < STEPS; s++) {
            double[] g = gradient(s);
            for (int i = 0; i < SIZE; i++) {
                double gi = g[i] + decay * p[i];
                sq[i] = c.alpha() * sq[i] + (1 - c.alpha()) * gi * gi;
                buf[i] = momentum * buf[i] + gi / (Math.sqrt(sq[i]) + c.epsilon());
                p[i] -= lr * buf[i];
            }
        }
        assertClose("rmsprop momentum " + momentum, p, run(c, lr), Tolerance.FLOAT64);
    }

    @Test
    void aRestoredStateContinuesBitForBit() {
        for (OptimizerConfig c : List.of(OptimizerConfig.sgd(0.1, 0.9), OptimizerConfig.adam(0.01),
                OptimizerConfig.rmsprop(0.01), OptimizerConfig.rmsprop(0.01).withMomentum(0.9))) {
            double[] straight = run(c, c.learningRate());
            try (Tensor value = backend.upload(DType.FLOAT64, initial(), SIZE);
                 Tensor grad = backend.allocate(DType.FLOAT64, SIZE)) {
                List<NamedParameter> params = List.of(new NamedParameter("w", value, grad));
                OptimizerState saved;
                try (Optimizer first = c.create()) {
                    for (int s = 0; s < STEPS / 2; s++) {
                        grad.copyFrom(gradient(s));
                        first.step(params, c.learningRate());
                    }
                    saved = first.state();
                }
                try (Optimizer second = c.create()) {
                    second.restore(saved);
                    for (int s = STEPS / 2; s < STEPS; s++) {
                        grad.copyFrom(gradient(s));
                        second.step(params, c.learningRate());
                    }
                    assertEquals(STEPS, second.steps(), c.kind() + " step count");
                }
                assertArrayEquals(straight, value.toDoubleArray(), c.kind() + " resumed");
            }
        }
    }

    @Test
    void restoringAnotherKindsStateFails() {
        try (Optimizer adam = OptimizerConfig.adam(0.1).create()) {
            OptimizerState sgdState = new OptimizerState(OptimizerConfig.Kind.SGD, 3, java.util.Map.of());
            assertThrows(IllegalArgumentException.class, () -> adam.restore(sgdState));
        }
    }

    @Test
    void schedulesFollowTheirFormulas() {
        LearningRateSchedule step = LearningRateSchedule.step(10, 0.5);
        assertEquals(1.0, step.rate(1.0, 9));
        assertEquals(0.5, step.rate(1.0, 10));
        assertEquals(0.25, step.rate(1.0, 25));
        LearningRateSchedule cosine = LearningRateSchedule.cosine(100, 0.1);
        assertEquals(1.0, cosine.rate(1.0, 0));
        assertClose("cosine midpoint", 0.55, cosine.rate(1.0, 50), Tolerance.FLOAT64);
        assertEquals(0.1, cosine.rate(1.0, 100));
        assertEquals(0.1, cosine.rate(1.0, 1000));
        assertEquals(0.3, LearningRateSchedule.constant().rate(0.3, 12345));
    }

    @Test
    void schedulesRefuseRatesThatWouldTurnParametersIntoNaN() {
        assertEquals("step schedule: gamma must be finite and >= 0, was NaN",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(10, Double.NaN))
                        .getMessage());
        assertEquals("cosine schedule: minRate must be finite and >= 0, was -0.1",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(10, -0.1))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(10, Double.NaN));
    }

    @Test
    void optimizerNamesParse() {
        assertEquals(OptimizerConfig.Kind.RMSPROP, OptimizerConfig.Kind.fromId("RMSprop"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.Kind.fromId("adagrad"));
        assertEquals(true, e.getMessage().contains("sgd, adam, rmsprop"), e.getMessage());
    }

    /** {@code new OptimizerConfig(kind, lr, momentum, beta1, beta2, epsilon, alpha, weightDecay)} failing. */
    private static String rejection(double learningRate, double momentum, double beta1, double beta2, double epsilon,
                                    double alpha, double weightDecay) {
        return assertThrows(IllegalArgumentException.class, () -> new OptimizerConfig(OptimizerConfig.Kind.ADAM,
                learningRate, momentum, beta1, beta2, epsilon, alpha, weightDecay)).getMessage();
    }

    @Test
    void adamRejectsAMomentumItWouldIgnore() {
        // torch.optim.Adam has no momentum argument; accepting one and training without it would be silent.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.adam(0.01).withMomentum(0.9));
        assertEquals("momentum must be 0 for adam (beta1 is its momentum), was 0.9", e.getMessage());
        // the kinds that use it take it
        OptimizerConfig.sgd(0.1, 0.9);
        OptimizerConfig.rmsprop(0.01).withMomentum(0.9);
    }

    @Test
    void everyHyperparameterIsCheckedAndTheErrorNamesItAndItsValue() {
        // a decay of 1 would divide by 1 - beta^t = 0 and make every parameter NaN
        assertEquals("beta1 must be in [0, 1), was 1.0", rejection(0.1, 0, 1, 0.999, 1e-8, 0.99, 0));
        assertEquals("beta2 must be in [0, 1), was 1.5", rejection(0.1, 0, 0.9, 1.5, 1e-8, 0.99, 0));
        assertEquals("alpha must be in [0, 1), was -0.1", rejection(0.1, 0, 0.9, 0.999, 1e-8, -0.1, 0));
        assertEquals("beta1 must be in [0, 1), was NaN", rejection(0.1, 0, Double.NaN, 0.999, 1e-8, 0.99, 0));
        assertEquals("momentum must be finite and >= 0, was -0.5", rejection(0.1, -0.5, 0.9, 0.999, 1e-8, 0.99, 0));
        assertEquals("epsilon must be finite and >= 0, was NaN",
                rejection(0.1, 0, 0.9, 0.999, Double.NaN, 0.99, 0));
        assertEquals("weightDecay must be finite and >= 0, was Infinity",
                rejection(0.1, 0, 0.9, 0.999, 1e-8, 0.99, Double.POSITIVE_INFINITY));
        assertEquals("learningRate must be finite and > 0, was NaN",
                rejection(Double.NaN, 0, 0.9, 0.999, 1e-8, 0.99, 0));
        // the factory defaults are valid, and zero decays are allowed as in torch.optim
        OptimizerConfig.adam(1e-3);
        OptimizerConfig.sgd(0.1, 0.9);
        OptimizerConfig.rmsprop(1e-2);
        new OptimizerConfig(OptimizerConfig.Kind.ADAM, 0.1, 0, 0, 0, 0, 0, 0);
    }
}
