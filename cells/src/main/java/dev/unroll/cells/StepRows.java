package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * Where one time step of one direction lives in the sequence buffers. Step {@code t} of a time-ordered buffer
 * {@code [T*B, F]} is rows {@code t*B ..}; the state buffers hold {@code T+1} blocks of {@code B} rows, the
 * step reading block {@code previousBlock} and writing block {@code nextBlock} (forward: t and t+1; reverse:
 * t+1 and t). Only the first {@code active} rows, the sequences still running in the length-sorted batch,
 * take part.
 */
record StepRows(Backend backend, int time, int previousBlock, int nextBlock, int active, int batch) {

    /** The step's active rows of a time-ordered buffer {@code [T*B, F]}: {@code [active, F]}. */
    Tensor atTime(Tensor sequence) {
        return backend.viewRows(sequence, time * batch, active);
    }

    /** The active rows of the state block this step reads. */
    Tensor previous(Tensor states) {
        return backend.viewRows(states, previousBlock * batch, active);
    }

    /** The active rows of the state block this step writes. */
    Tensor next(Tensor states) {
        return backend.viewRows(states, nextBlock * batch, active);
    }

    /** The active rows of a per-batch buffer {@code [B, F]}. */
    Tensor head(Tensor perBatch) {
        return backend.viewRows(perBatch, 0, active);
    }
}
