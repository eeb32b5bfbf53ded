package dev.unroll.training;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.model.Trainable;
import dev.unroll.training.nn.NamedParameter;
import java.util.function.ToDoubleFunction;

/** Compares a model's analytic parameter gradients with central finite differences of its loss, in float64. */
public final class GradientCheck {
    private static final double STEP = 1e-6;

    private GradientCheck() {
    }

    /** Checks every element of every parameter (keep models tiny). */
    public static <B> void check(Trainable<B> model, B batch) {
        check(model, batch, m -> m.loss(batch));
    }

    /**
     * @param loss the loss as a function of the parameters, evaluated without changing any gradient
     */
    public static <B> void check(Trainable<B> model, B batch, ToDoubleFunction<Trainable<B>> loss) {
        if (model.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradient checks run in FLOAT64");
        }
        model.zeroGrad();
        model.lossAndGradients(batch, Trainable.ALL_STEPS);
        for (NamedParameter p : model.parameters()) {
            double[] analytic = p.grad().toDoubleArray();
            double[] numeric = numericGradient(model, p.value(), loss);
            TestSupport.assertClose("gradient of " + p.name(), numeric, analytic,
                    TestSupport.Tolerance.FINITE_DIFFERENCE);
        }
    }

    private static <B> double[] numericGradient(Trainable<B> model, Tensor value,
                                                ToDoubleFunction<Trainable<B>> loss) {
        double[] v = value.toDoubleArray();
        double[] grad = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double original = v[i];
            v[i] = original + STEP;
            value.copyFrom(v);
            double plus = loss.applyAsDouble(model);
            v[i] = original - STEP;
            value.copyFrom(v);
            double minus = loss.applyAsDouble(model);
            v[i] = original;
            value.copyFrom(v);
            grad[i] = (plus - minus) / (2 * STEP);
        }
        return grad;
    }
}
