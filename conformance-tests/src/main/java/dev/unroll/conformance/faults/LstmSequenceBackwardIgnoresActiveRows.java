package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;

/**
 * A whole-sequence LSTM backward (a persistent kernel, say) written for full-length batches only: in a batch of
 * several lengths it runs every row at every step, so gradients flow through the padding of sequences that have
 * ended (or, in the reverse direction, not begun). Each step's arithmetic is right.
 */
final class LstmSequenceBackwardIgnoresActiveRows extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("lstm-sequence-backward-ignores-active-rows",
            "lstmSequenceBackward runs every row at every step", LstmSequenceBackwardIgnoresActiveRows::new);

    LstmSequenceBackwardIgnoresActiveRows(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void lstmSequenceBackward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                     Tensor cells, Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        super.lstmSequenceBackward(direction, null, gates, weightHh, cells, dOutput, dGates, dHidden, dCell);
    }
}
