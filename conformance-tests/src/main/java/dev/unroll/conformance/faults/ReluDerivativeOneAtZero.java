package dev.unroll.conformance.faults;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * The relu derivative tested as {@code y >= 0} instead of {@code y > 0}: since relu's output is never
 * negative, every gradient passes through, also where the unit was off.
 */
final class ReluDerivativeOneAtZero extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("relu-derivative-one-at-zero",
            "activateBackward(RELU) passes the gradient where y == 0 (y >= 0 instead of y > 0)",
            ReluDerivativeOneAtZero::new);

    ReluDerivativeOneAtZero(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) {
        if (f != Activation.RELU) {
            delegate.activateBackward(f, y, dy, dx);
            return;
        }
        if (dx != dy) {
            delegate.copy(dy, dx);
        }
    }
}
