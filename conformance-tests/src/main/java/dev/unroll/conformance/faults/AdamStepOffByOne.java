package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** A fused Adam that counts steps from 0 and adds one too many before the bias correction. */
final class AdamStepOffByOne extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("adam-step-off-by-one",
            "adamUpdate bias-corrects with step + 1", AdamStepOffByOne::new);

    AdamStepOffByOne(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, double weightDecay, long step) {
        super.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step + 1);
    }
}
