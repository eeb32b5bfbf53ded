package dev.unroll.cells;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;

/**
 * The original GRU form, {@code n = tanh(W_in x + b_in + W_hn (r * h_prev) + b_hn)}, which no backend fuses.
 * It reuses PyTorch's fused GRU step: the reset gate is computed first from primitives, the whole n
 * pre-activation {@code W_in x + b_in + W_hn (r h_prev) + b_hn} is put into the gates' n block, and the n block
 * of {@code hProj} is zeroed so the fused step's {@code r * hProj_n} term vanishes. Backward adds the path
 * through {@code r * h_prev} that the fused step cannot see. Correct, not fast.
 */
final class OriginalGruKernel extends StepKernel {

    @Override
    void prepareForward(Backend be, DirectionParameters p, DirectionBuffers buf) {
        // hiddenProjection starts as b_hh (or zero) for each step's recurrent product to add onto
        GruKernel.addInputBias(be, p, buf);
        be.fill(buf.hiddenProjection, 0);
        if (p.biasIh() != null) {
            be.addRowVector(buf.hiddenProjection, p.biasHh().value(), buf.hiddenProjection);
            int hidden = buf.hiddenNewBias.cols();
            Tensor biasRow = be.reshape(p.biasHh().value(), 1, 3 * hidden);
            be.copyColumns(biasRow, 2 * hidden, buf.hiddenNewBias, 0, hidden);
        }
    }

    @Override
    void forward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step,
                 RecurrentProduct recurrent) {
        int hidden = buf.scratchA.cols();
        Tensor gates = step.atTime(buf.gates);
        Tensor hProj = step.atTime(buf.hiddenProjection);
        Tensor hPrev = step.previous(buf.states);
        Tensor resetHidden = step.atTime(buf.resetHidden);
        Tensor a = step.head(buf.scratchA);
        Tensor b = step.head(buf.scratchB);

        recurrent.addTo(hPrev, hProj);
        // r = sigmoid(x_r + h_r), exactly as the fused step will recompute it
        be.copyColumns(gates, 0, a, 0, hidden);
        be.copyColumns(hProj, 0, b, 0, hidden);
        be.add(a, b, a);
        be.activate(Activation.SIGMOID, a, a);
        be.mul(a, hPrev, resetHidden);
        // b = W_hn (r * h_prev) + b_hn
        be.gemm(false, true, 1, resetHidden, newGateRows(be, p.weightHh().value(), hidden), 0, b);
        if (p.biasIh() != null) {
            be.addRowVector(b, buf.hiddenNewBias, b);
        }
        be.copyColumns(gates, 2 * hidden, a, 0, hidden);
        be.add(a, b, a);
        be.copyColumns(a, 0, gates, 2 * hidden, hidden);
        be.copyColumns(step.head(buf.zeros), 0, hProj, 2 * hidden, hidden);
        be.gruStepForward(gates, hProj, hPrev, step.next(buf.states));
    }

    @Override
    void backward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step) {
        int hidden = buf.scratchA.cols();
        Tensor gates = step.atTime(buf.gates);
        Tensor hPrev = step.previous(buf.states);
        Tensor dh = step.head(buf.dHidden);
        Tensor dGates = step.atTime(buf.dGates);
        Tensor dHProj = step.atTime(buf.dHiddenProjection);
        Tensor resetHidden = step.atTime(buf.resetHidden);
        Tensor a = step.head(buf.scratchA);
        Tensor dResetHidden = step.head(buf.scratchB);
        Tensor r = step.head(buf.scratchC);
        Tensor weightHn = newGateRows(be, p.weightHh().value(), hidden);

        // The fused step sees hProj_n = 0: it yields dz, dn and z * dh, but no reset gate gradient.
        be.gruStepBackward(gates, step.atTime(buf.hiddenProjection), hPrev, dh, dGates, dHProj);
        be.copyColumns(dGates, 2 * hidden, a, 0, hidden);                    // dn
        be.gemm(false, false, 1, a, weightHn, 0, dResetHidden);               // dL/d(r * h_prev)
        be.gemm(true, false, 1, a, resetHidden, 1, newGateRows(be, p.weightHh().grad(), hidden));
        be.copyColumns(gates, 0, r, 0, hidden);
        be.mul(dResetHidden, hPrev, a);
        be.activateBackward(Activation.SIGMOID, r, a, a);                     // dr
        be.copyColumns(a, 0, dGates, 0, hidden);
        be.copyColumns(a, 0, dHProj, 0, hidden);
        // r and z rows of W_hh saw h_prev; the n rows saw r * h_prev (handled above), so clear their block
        be.copyColumns(step.head(buf.zeros), 0, dHProj, 2 * hidden, hidden);
        be.gemm(true, false, 1, dHProj, hPrev, 1, p.weightHh().grad());
        be.gemm(false, false, 1, dHProj, p.weightHh().value(), 1, dh);
        be.mul(dResetHidden, r, dResetHidden);
        be.add(dh, dResetHidden, dh);
        // b_hn's gradient is dn: leave it in the n block for the bias column sums
        be.copyColumns(dGates, 2 * hidden, dHProj, 2 * hidden, hidden);
    }

    @Override
    void accumulateRecurrentGradients(Backend be, DirectionParameters p, DirectionBuffers buf,
                                      Tensor previousStates) {
        // weight_hh was accumulated per step; only the biases remain
        GruKernel.addBiasGradients(be, p, buf);
    }

    /** The n gate's rows {@code [H, H]} of a {@code [3H, H]} recurrent weight (or its gradient). */
    private static Tensor newGateRows(Backend be, Tensor weightHh, int hidden) {
        return be.viewRows(weightHh, 2 * hidden, hidden);
    }
}
