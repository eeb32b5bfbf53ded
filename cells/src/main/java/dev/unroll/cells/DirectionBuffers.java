package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The device buffers of one layer and direction for one sequence shape {@code (T, B)}, in the length-sorted
 * batch order. Forward buffers are allocated up front; backward buffers on the first backward pass. All are
 * reused by later calls of the same shape and freed by {@link #close()}.
 */
final class DirectionBuffers implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final RecurrentConfig config;
    private final int steps;
    private final int batch;
    private final List<Tensor> owned = new ArrayList<>();

    /** {@code [T*B, G*H]}: the input projection plus biases, then (in place) what the fused step leaves. */
    final Tensor gates;
    /** {@code [1, G*H]}: {@code bias_ih + bias_hh}, the one bias row RNN and LSTM add to {@link #gates}; else null. */
    final Tensor inputBias;
    /** {@code [(T+1)*B, H]}: the hidden state before the first and after every step (see {@link StepRows}). */
    final Tensor states;
    /** {@code [(T+1)*B, H]}: LSTM cell states, like {@link #states}; null for other cells. */
    final Tensor cells;
    /** {@code [T*B, 3H]}: GRU {@code W_hh h_prev + b_hh} of every step; null for other cells. */
    final Tensor hiddenProjection;
    /** {@code [T*B, H]}: original-form GRU {@code r * h_prev} of every step; null otherwise. */
    final Tensor resetHidden;
    /** {@code [1, H]}: original-form GRU {@code b_hn}, copied out of {@code bias_hh} per forward; null otherwise. */
    final Tensor hiddenNewBias;
    /** {@code [B, H]} scratch rows for the original-form GRU's per-step work; null otherwise. */
    final Tensor scratchA;
    final Tensor scratchB;
    final Tensor scratchC;
    /** {@code [B, H]} zeros, never written: the source that clears a column block. */
    final Tensor zeros;

    /** {@code [T*B, G*H]} dL/d(gate pre-activations) of every step; backward only. */
    Tensor dGates;
    /** {@code [T*B, 3H]} GRU dL/d(W_hh h_prev + b_hh) of every step; backward only. */
    Tensor dHiddenProjection;
    /** {@code [B, H]} dL/dh of the state the backward loop has reached (all rows; inactive ones carried). */
    Tensor dHidden;
    /** {@code [B, H]} LSTM dL/dc, like {@link #dHidden}. */
    Tensor dCell;
    /** {@code [T*B, H]} this direction's columns of dL/d(layer output), bidirectional stacks only; backward only. */
    Tensor dOutputPart;
    /**
     * {@code [G*H]} the column sums of {@link #dGates}: the gradient of both biases where the cell adds them to one
     * sum ({@link #inputBias} is non-null); backward only.
     */
    Tensor dBias;

    DirectionBuffers(Backend backend, DType dtype, RecurrentConfig config, int steps, int batch) {
        this.backend = backend;
        this.dtype = dtype;
        this.config = config;
        this.steps = steps;
        this.batch = batch;
        int hidden = config.hiddenSize();
        CellType cell = config.cell();
        boolean gru = cell == CellType.GRU;
        boolean original = gru && config.gruForm() == GruForm.ORIGINAL;
        try {
            gates = allocate(steps * batch, cell.gateCount() * hidden);
            inputBias = !gru && config.bias() ? allocate(1, cell.gateCount() * hidden) : null;
            states = allocate((steps + 1) * batch, hidden);
            cells = cell == CellType.LSTM ? allocate((steps + 1) * batch, hidden) : null;
            hiddenProjection = gru ? allocate(steps * batch, 3 * hidden) : null;
            resetHidden = original ? allocate(steps * batch, hidden) : null;
            hiddenNewBias = original ? allocate(1, hidden) : null;
            scratchA = original ? allocate(batch, hidden) : null;
            scratchB = original ? allocate(batch, hidden) : null;
            scratchC = original ? allocate(batch, hidden) : null;
            zeros = original ? allocate(batch, hidden) : null;
        } catch (RuntimeException | Error e) {
            close(); // the caller never gets this object to close: free what was allocated (device memory, say)
            throw e;
        }
    }

    /**
     * Allocates the backward buffers once; later calls keep them. Each is allocated only if still missing, so a call
     * that failed part way (out of device memory, say) is completed by the next one, and nothing is allocated twice.
     */
    void ensureBackward() {
        int hidden = config.hiddenSize();
        int gateColumns = config.cell().gateCount() * hidden;
        if (dGates == null) {
            dGates = allocate(steps * batch, gateColumns);
        }
        if (config.cell() == CellType.GRU && dHiddenProjection == null) {
            dHiddenProjection = allocate(steps * batch, 3 * hidden);
        }
        if (dHidden == null) {
            dHidden = allocate(batch, hidden);
        }
        if (config.cell() == CellType.LSTM && dCell == null) {
            dCell = allocate(batch, hidden);
        }
        if (config.bidirectional() && dOutputPart == null) {
            dOutputPart = allocate(steps * batch, hidden);
        }
        if (inputBias != null && dBias == null) {
            dBias = backend.allocate(dtype, gateColumns);
            owned.add(dBias);
        }
    }

    private Tensor allocate(int rows, int cols) {
        Tensor t = backend.allocate(dtype, rows, cols);
        owned.add(t);
        return t;
    }

    @Override
    public void close() {
        owned.forEach(Tensor::close);
        owned.clear();
    }
}
