package dev.unroll.conformance.faults;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** The tanh derivative typed as {@code 1 - y} instead of {@code 1 - y^2}. */
final class TanhDerivativeMissesSquare extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("tanh-derivative-misses-square",
            "activateBackward(TANH) computes dy * (1 - y)", TanhDerivativeMissesSquare::new);

    TanhDerivativeMissesSquare(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) {
        if (f != Activation.TANH) {
            delegate.activateBackward(f, y, dy, dx);
            return;
        }
        try (Tensor derivative = scratchLike(y)) {
            delegate.scale(-1, y, derivative);
            delegate.addScalar(derivative, 1, derivative);
            delegate.mul(dy, derivative, dx);
        }
    }
}
