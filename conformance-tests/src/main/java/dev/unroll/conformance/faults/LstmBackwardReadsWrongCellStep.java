package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A fused LSTM backward that reads this step's cell state where the previous step's belongs, so the forget
 * gate's gradient becomes {@code dc * c_t * f'} instead of {@code dc * c_{t-1} * f'}: an off-by-one-step index in
 * a hand-written kernel. The forward pass is right, so only gradient checks can see it.
 */
final class LstmBackwardReadsWrongCellStep extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("lstm-backward-reads-wrong-cell-step",
            "lstmStepBackward uses c_t instead of c_{t-1} for the forget gate's gradient",
            LstmBackwardReadsWrongCellStep::new);

    LstmBackwardReadsWrongCellStep(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        super.lstmStepBackward(gates, c, c, dh, dc, dGates);
    }
}
