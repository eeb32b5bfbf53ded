package dev.unroll.conformance.faults;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** The sigmoid derivative typed as {@code y * (1 + y)} instead of {@code y * (1 - y)}. */
final class SigmoidDerivativeWrongSign extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("sigmoid-derivative-wrong-sign",
            "activateBackward(SIGMOID) computes dy * y * (1 + y)", SigmoidDerivativeWrongSign::new);

    SigmoidDerivativeWrongSign(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) {
        if (f != Activation.SIGMOID) {
            delegate.activateBackward(f, y, dy, dx);
            return;
        }
        try (Tensor derivative = scratchLike(y)) {
            delegate.addScalar(y, 1, derivative);
            delegate.mul(derivative, y, derivative);
            delegate.mul(dy, derivative, dx);
        }
    }
}
