package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;

/**
 * PyTorch's GRU: the recurrent GEMM into the step's {@code W_hh h_prev + b_hh} rows (kept apart from the input
 * projection because the reset gate multiplies only its n part), then the backend's fused GRU step.
 */
final class GruKernel extends StepKernel {

    @Override
    void prepareForward(Backend be, DirectionParameters p, DirectionBuffers buf) {
        addBiases(be, p, buf);
    }

    /**
     * Both GRU forms: {@code b_ih} onto the input projection, and {@code hiddenProjection} starts as {@code b_hh} (or
     * zero) for each step's recurrent product to add onto.
     */
    static void addBiases(Backend be, DirectionParameters p, DirectionBuffers buf) {
        be.fill(buf.hiddenProjection, 0);
        if (p.biasIh() != null) {
            be.addRowVector(buf.gates, p.biasIh().value(), buf.gates);
            be.addRowVector(buf.hiddenProjection, p.biasHh().value(), buf.hiddenProjection);
        }
    }

    @Override
    boolean forwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, int[] activeRows) {
        // b_hh goes to the backend call, which adds it to every step's recurrent product (like prepareForward)
        if (p.biasIh() != null) {
            be.addRowVector(buf.gates, p.biasIh().value(), buf.gates);
        }
        be.gruSequenceForward(p.time(), activeRows, buf.gates, buf.hiddenProjection, p.weightHh().value(),
                p.biasHh() == null ? null : p.biasHh().value(), buf.states);
        return true;
    }

    @Override
    void forward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step,
                 RecurrentProduct recurrent) {
        Tensor hPrev = step.previous(buf.states);
        Tensor hProj = step.atTime(buf.hiddenProjection);
        recurrent.addTo(hPrev, hProj);
        be.gruStepForward(step.atTime(buf.gates), hProj, hPrev, step.next(buf.states));
    }

    @Override
    boolean backwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, Tensor dOutput, int first,
                             int batch, int[] activeRows) {
        be.gruSequenceBackward(p.time(), activeRows, fromStep(be, buf.gates, first, batch),
                fromStep(be, buf.hiddenProjection, first, batch), p.weightHh().value(), fromStep(be, buf.states, first, batch), fromStep(be, dOutput, first, batch),
                fromStep(be, buf.dGates, first, batch), fromStep(be, buf.dHiddenProjection, first, batch),
                buf.dHidden);
        return true;
    }

    @Override
    void backward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step) {
        Tensor dh = step.head(buf.dHidden);
        Tensor dHiddenProjection = step.atTime(buf.dHiddenProjection);
        be.gruStepBackward(step.atTime(buf.gates), step.atTime(buf.hiddenProjection), step.previous(buf.states),
                dh, step.atTime(buf.dGates), dHiddenProjection);
        be.gemm(false, false, 1, dHiddenProjection, p.weightHh().value(), 1, dh);
    }

    @Override
    void accumulateRecurrentGradients(Backend be, DirectionParameters p, DirectionBuffers buf,
                                      Tensor previousStates) {
        be.gemm(true, false, 1, buf.dHiddenProjection, previousStates, 1, p.weightHh().grad());
        addBiasGradients(be, p, buf);
    }

    /** Both GRU forms: the biases' gradients are the column sums of their pre-activations' gradients. */
    static void addBiasGradients(Backend be, DirectionParameters p, DirectionBuffers buf) {
        if (p.biasIh() != null) {
            be.columnSums(buf.dGates, 1, p.biasIh().grad());
            be.columnSums(buf.dHiddenProjection, 1, p.biasHh().grad());
        }
    }
}
