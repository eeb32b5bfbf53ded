package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A fused LSTM backward that forgets the cell-state gradient arriving from the next step: each step then
 * trains as if it were the last, and long-range gradients vanish.
 */
final class LstmBackwardDropsCellGradient extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("lstm-backward-drops-incoming-dc",
            "lstmStepBackward ignores the incoming dL/dc from the next step", LstmBackwardDropsCellGradient::new);

    LstmBackwardDropsCellGradient(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        delegate.fill(dc, 0);
        super.lstmStepBackward(gates, cPrev, c, dh, dc, dGates);
    }
}
