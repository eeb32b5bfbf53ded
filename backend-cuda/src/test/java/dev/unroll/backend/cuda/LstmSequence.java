package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

/**
 * A minimal LSTM recurrence over preallocated workspaces, written with SPI calls only, for the GPU tests of
 * capture and memory: the input projections {@code W_ih x + b} are given per step in {@link #input}, and each
 * step adds {@code h_{t-1} W_hh^T} and runs the fused pointwise kernel. Backward runs BPTT to the input
 * gradient and {@code dW_hh}.
 */
final class LstmSequence implements AutoCloseable {
    final int steps;
    final int batch;
    final int hiddenSize;
    final CudaBackend be;
    final Tensor input;      // [T*B, 4H] pre-activations from the input
    final Tensor weights;    // [4H, H] W_hh
    final Tensor gates;      // [T*B, 4H] activations kept for backward
    final Tensor cells;      // [(T+1)*B, H] c_{-1} .. c_{T-1}
    final Tensor states;     // [(T+1)*B, H] h_{-1} .. h_{T-1}
    final Tensor dGates;     // [T*B, 4H]
    final Tensor dh;         // [B, H]
    final Tensor dc;         // [B, H]
    final Tensor dWeights;   // [4H, H]

    LstmSequence(CudaBackend be, int steps, int batch, int hidden, float[] recurrentWeights) {
        this.be = be;
        this.steps = steps;
        this.batch = batch;
        this.hiddenSize = hidden;
        input = be.allocate(DType.FLOAT32, steps * batch, 4 * hidden);
        weights = be.upload(DType.FLOAT32, recurrentWeights, 4 * hidden, hidden);
        gates = be.allocate(DType.FLOAT32, steps * batch, 4 * hidden);
        cells = be.allocate(DType.FLOAT32, (steps + 1) * batch, hidden);
        states = be.allocate(DType.FLOAT32, (steps + 1) * batch, hidden);
        dGates = be.allocate(DType.FLOAT32, steps * batch, 4 * hidden);
        dh = be.allocate(DType.FLOAT32, batch, hidden);
        dc = be.allocate(DType.FLOAT32, batch, hidden);
        dWeights = be.allocate(DType.FLOAT32, 4 * hidden, hidden);
    }

    private Tensor step(Tensor t, int index) {
        return be.viewRows(t, index * batch, batch);
    }

    /** Zeroes every state and gradient (not the weights, not the input). */
    void reset() {
        be.fill(gates, 0);
        be.fill(cells, 0);
        be.fill(states, 0);
        be.fill(dGates, 0);
        be.fill(dh, 0);
        be.fill(dc, 0);
        be.fill(dWeights, 0);
    }

    /** Forward over all steps; only device work, so it can be captured. */
    void forward() {
        for (int t = 0; t < steps; t++) {
            Tensor g = step(gates, t);
            be.copy(step(input, t), g);
            be.gemm(false, true, 1, step(states, t), weights, 1, g);
            be.lstmStepForward(g, step(cells, t), step(cells, t + 1), step(states, t + 1));
        }
    }

    /** BPTT from dL/dh_T = 1 for every unit; accumulates dW_hh. Only device work. */
    void backward() {
        be.fill(dh, 1);
        be.fill(dc, 0);
        for (int t = steps - 1; t >= 0; t--) {
            Tensor dg = step(dGates, t);
            be.lstmStepBackward(step(gates, t), step(cells, t), step(cells, t + 1), dh, dc, dg);
            be.gemm(true, false, 1, dg, step(states, t), 1, dWeights);
            be.gemm(false, false, 1, dg, weights, 0, dh);
        }
    }

    @Override
    public void close() {
        for (Tensor t : new Tensor[] {input, weights, gates, cells, states, dGates, dh, dc, dWeights}) {
            t.close();
        }
    }
}
