package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A {@code copyRows} with an aliasing guard that returns early when source and destination are the same
 * tensor (a "nothing to do" shortcut meant for {@code src == dst && srcRow == dstRow}). The recurrent stack
 * copies rows within its state buffer to carry the state of sequences that are not running at a step; without
 * it, a finished sequence loses its final state, and the reverse direction of a shorter sequence starts from
 * a stale row of the buffer, the wrong step, instead of its initial state.
 */
final class CopyRowsWithinTensorSkipped extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("copy-rows-within-tensor-skipped",
            "copyRows does nothing when source and destination are one tensor, so the reverse direction of a"
                    + " shorter sequence reads the wrong step's state", CopyRowsWithinTensorSkipped::new);

    CopyRowsWithinTensorSkipped(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int count) {
        if (src == dst) {
            return;
        }
        super.copyRows(src, srcRow, dst, dstRow, count);
    }
}
