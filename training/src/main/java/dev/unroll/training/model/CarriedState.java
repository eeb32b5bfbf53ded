package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * The final hidden (and LSTM cell) state a stateful model keeps from one batch to start the next: a detached
 * copy, so no gradient flows back across the boundary.
 */
final class CarriedState implements AutoCloseable {
    private Tensor hidden;
    private Tensor cell;

    /** The state to start from: the carried one if the batch continues the previous, else null (zero). */
    Tensor hidden(boolean continues, int batch) {
        return continues ? check(hidden, batch) : null;
    }

    Tensor cell(boolean continues, int batch) {
        return continues && hidden != null ? check(cell, batch) : null;
    }

    private static Tensor check(Tensor state, int batch) {
        if (state != null && state.shape()[1] != batch) {
            throw new IllegalArgumentException("a batch of " + batch + " sequences cannot continue one of "
                    + state.shape()[1]);
        }
        return state;
    }

    /** Keeps copies of a pass's final states. */
    void keep(SequenceEncoder.Pass pass) {
        hidden = copy(pass.finalHidden(), hidden);
        cell = pass.finalCell() == null ? null : copy(pass.finalCell(), cell);
    }

    private static Tensor copy(Tensor src, Tensor previous) {
        Backend be = src.backend();
        if (previous != null && java.util.Arrays.equals(previous.shape(), src.shape())) {
            be.copy(src, previous);
            return previous;
        }
        if (previous != null) {
            previous.close();
        }
        Tensor t = be.allocate(src.dtype(), src.shape());
        be.copy(src, t);
        return t;
    }

    /**
     * Rebuilds the batch from rows of the current one: sequence {@code i} takes the state of old sequence
     * {@code sources[i]} (beam search follows each beam's parent).
     */
    void reorderBatch(int[] sources) {
        hidden = gather(hidden, sources);
        cell = cell == null ? null : gather(cell, sources);
    }

    private static Tensor gather(Tensor state, int[] sources) {
        int[] shape = state.shape(); // [layers, B, H]
        int layers = shape[0];
        int oldBatch = shape[1];
        int[] rows = new int[layers * sources.length];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < sources.length; i++) {
                rows[l * sources.length + i] = l * oldBatch + sources[i];
            }
        }
        Tensor out = state.backend().allocate(state.dtype(), layers, sources.length, shape[2]);
        state.backend().gatherRows(state, rows, out);
        state.close();
        return out;
    }

    @Override
    public void close() {
        if (hidden != null) {
            hidden.close();
        }
        if (cell != null) {
            cell.close();
        }
        hidden = null;
        cell = null;
    }
}
