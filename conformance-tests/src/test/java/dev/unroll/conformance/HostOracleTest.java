package dev.unroll.conformance;

import dev.unroll.api.Activation;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The oracles checked independently: the primitives on small cases worked by hand, the fused backward
 * passes against central differences of the oracle's own forward passes.
 */
class HostOracleTest {
    private static final HostTensor A = new HostTensor(new int[] {2, 2}, new double[] {1, 2, 3, 4});
    private static final HostTensor B = new HostTensor(new int[] {2, 2}, new double[] {5, 6, 7, 8});

    @Test
    void gemmOfEveryTransposeCombination() {
        HostTensor c = HostTensor.filled(Double.NaN, 2, 2);
        // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50]
        assertArrayEquals(new double[] {19, 22, 43, 50}, HostReference.gemm(false, false, 1, A, B, 0, c).values());
        // [1 3; 2 4] [5 6; 7 8] = [26 30; 38 44]
        assertArrayEquals(new double[] {26, 30, 38, 44}, HostReference.gemm(true, false, 1, A, B, 0, c).values());
        // [1 2; 3 4] [5 7; 6 8] = [17 23; 39 53]
        assertArrayEquals(new double[] {17, 23, 39, 53}, HostReference.gemm(false, true, 1, A, B, 0, c).values());
        // [1 3; 2 4] [5 7; 6 8] = [23 31; 34 46]
        assertArrayEquals(new double[] {23, 31, 34, 46}, HostReference.gemm(true, true, 1, A, B, 0, c).values());
        // 2 * AB - 1 * [1 1; 1 1]
        assertArrayEquals(new double[] {37, 43, 85, 99},
                HostReference.gemm(false, false, 2, A, B, -1, HostTensor.filled(1, 2, 2)).values());
    }

    @Test
    void softmaxCrossEntropyOfTwoEqualLogitsIsLogTwoAndSkipsIgnoredRows() {
        HostTensor logits = new HostTensor(new int[] {2, 2}, new double[] {1000, 1000, 3, -7});
        assertArrayEquals(new double[] {0.5, 0.5}, HostReference.softmax(logits).rows(0, 1).values());
        assertEquals(Math.log(2), HostReference.crossEntropy(logits, new int[] {1, -1}), 1e-15);
        assertArrayEquals(new double[] {0.25, -0.25, 0, 0},
                HostReference.softmaxCrossEntropyBackward(HostReference.softmax(logits), new int[] {1, -1}, 0.5)
                        .values());
    }

    @Test
    void derivativesFromOutputsMatchCentralDifferences() {
        for (Activation f : Activation.values()) {
            for (double x : new double[] {-2.5, -0.3, 0.4, 1.7}) {
                double h = 1e-6;
                double numeric = (HostReference.activate(f, x + h) - HostReference.activate(f, x - h)) / (2 * h);
                assertEquals(numeric, HostReference.derivativeFromOutput(f, HostReference.activate(f, x)), 1e-8,
                        f + " at " + x);
            }
        }
        assertEquals(0, HostReference.derivativeFromOutput(Activation.RELU, 0));
    }

    @Test
    void lstmBackwardIsTheGradientOfLstmForward() {
        RandomData random = new RandomData(1, dev.unroll.api.DType.FLOAT64);
        HostTensor pre = random.uniform(-2, 2, 2, 12);
        HostTensor cPrev = random.uniform(-1, 1, 2, 3);
        HostTensor dh = random.uniform(-1, 1, 2, 3);
        HostTensor dc = random.uniform(-1, 1, 2, 3);
        // L = sum(dh * h) + sum(dc * c): its gradients are what lstmBackward returns
        Function<HostSteps.LstmForward, Double> loss = out -> dot(dh, out.h()) + dot(dc, out.c());
        HostSteps.LstmForward forward = HostSteps.lstmForward(pre, cPrev);
        HostSteps.LstmBackward backward = HostSteps.lstmBackward(forward.gates(), cPrev, forward.c(), dh, dc);
        assertGradient(backward.dGates(), pre, p -> loss.apply(HostSteps.lstmForward(p, cPrev)));
        assertGradient(backward.dc(), cPrev, c -> loss.apply(HostSteps.lstmForward(pre, c)));
    }

    @Test
    void gruBackwardIsTheGradientOfGruForward() {
        RandomData random = new RandomData(2, dev.unroll.api.DType.FLOAT64);
        HostTensor inputProj = random.uniform(-2, 2, 2, 9);
        HostTensor hiddenProj = random.uniform(-2, 2, 2, 9);
        HostTensor hPrev = random.uniform(-1, 1, 2, 3);
        HostTensor dh = random.uniform(-1, 1, 2, 3);
        HostSteps.GruForward forward = HostSteps.gruForward(inputProj, hiddenProj, hPrev);
        HostSteps.GruBackward backward = HostSteps.gruBackward(forward.gates(), hiddenProj, hPrev, dh);
        assertGradient(backward.dInput(), inputProj, x -> dot(dh, HostSteps.gruForward(x, hiddenProj, hPrev).h()));
        assertGradient(backward.dHidden(), hiddenProj, x -> dot(dh, HostSteps.gruForward(inputProj, x, hPrev).h()));
        // with the hidden projection held fixed, hPrev reaches h only through z * hPrev
        assertGradient(backward.dh(), hPrev, x -> dot(dh, HostSteps.gruForward(inputProj, hiddenProj, x).h()));
    }

    @Test
    void adamsFirstStepMovesEachParameterByLrAgainstTheGradientsSign() {
        HostTensor param = new HostTensor(new int[] {3}, new double[] {1, 1, 1});
        HostTensor grad = new HostTensor(new int[] {3}, new double[] {0.5, -2, 1e-3});
        HostSteps.AdamState s = HostSteps.adam(param, grad, HostTensor.zeros(3), HostTensor.zeros(3), 0.1, 0.9,
                0.999, 1e-8, 0, 1);
        // bias-corrected m and v are g and g^2 after one step: the update is lr * g / (|g| + eps)
        for (int i = 0; i < 3; i++) {
            double g = grad.values()[i];
            assertEquals(1 - 0.1 * g / (Math.abs(g) + 1e-8), s.param().values()[i], 1e-15);
            assertEquals(0.1 * g, s.m().values()[i], 1e-15);
            assertEquals(0.001 * g * g, s.v().values()[i], 1e-15);
        }
    }

    private static double dot(HostTensor a, HostTensor b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.values()[i] * b.values()[i];
        }
        return sum;
    }

    /** Compares {@code analytic} with central differences of {@code loss} around {@code x}. */
    private static void assertGradient(HostTensor analytic, HostTensor x, Function<HostTensor, Double> loss) {
        double h = 1e-6;
        for (int i = 0; i < x.size(); i++) {
            HostTensor plus = x.copy();
            HostTensor minus = x.copy();
            plus.values()[i] += h;
            minus.values()[i] -= h;
            double numeric = (loss.apply(plus) - loss.apply(minus)) / (2 * h);
            assertEquals(numeric, analytic.values()[i], 1e-8, "element " + i);
        }
    }
}
