package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A fused GRU backward that forgets to write the direct part {@code z * dL/dh_t} of {@code dL/dh_{t-1}} (the path
 * through {@code h = (1 - z) n + z h_prev} that makes GRUs carry gradients far): every gate gradient of the step
 * is right, yet gradients reaching earlier steps and the initial state are wrong.
 */
final class GruBackwardDropsDirectPath extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gru-backward-drops-direct-path",
            "gruStepBackward leaves dL/dh_{t-1} without its z * dL/dh_t term", GruBackwardDropsDirectPath::new);

    GruBackwardDropsDirectPath(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gruStepBackward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh, Tensor dInput,
                                Tensor dHidden) {
        super.gruStepBackward(gates, hProj, hPrev, dh, dInput, dHidden);
        delegate.fill(dh, 0);
    }
}
