package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;

/**
 * A whole-sequence LSTM backward (a persistent kernel, say) that forgets to add the output gradient of each step:
 * only what comes from beyond the sequence flows back. Every gradient is wrong wherever the loss reads the outputs,
 * though each step's arithmetic is right.
 */
final class LstmSequenceBackwardDropsOutputGradient extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("lstm-sequence-backward-drops-output-gradient",
            "lstmSequenceBackward ignores dOutput", LstmSequenceBackwardDropsOutputGradient::new);

    LstmSequenceBackwardDropsOutputGradient(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void lstmSequenceBackward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                     Tensor cells, Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        super.lstmSequenceBackward(direction, activeRows, gates, weightHh, cells, null, dGates, dHidden, dCell);
    }
}
