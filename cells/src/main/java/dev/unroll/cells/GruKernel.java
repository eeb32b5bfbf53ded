package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * PyTorch's GRU: the backend's whole-sequence GRU calls (each step: the recurrent GEMM into the step's
 * {@code W_hh h_prev + b_hh} rows, kept apart from the input projection because the reset gate multiplies only its n
 * part, then the fused GRU step).
 */
final class GruKernel extends StepKernel {

    /** Both GRU forms: {@code b_ih} onto the input projection (b_hh goes with the recurrent product). */
    static void addInputBias(Backend be, DirectionParameters p, DirectionBuffers buf) {
        if (p.biasIh() != null) {
            be.addRowVector(buf.gates, p.biasIh().value(), buf.gates);
        }
    }

    @Override
    boolean forwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, int[] activeRows) {
        // b_hh goes to the backend call, which adds it to every step's recurrent product
        addInputBias(be, p, buf);
        be.gruSequenceForward(p.time(), activeRows, buf.gates, buf.hiddenProjection, p.weightHh().value(),
                p.biasHh() == null ? null : p.biasHh().value(), buf.states);
        return true;
    }


    @Override
    boolean backwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, Tensor dOutput, int first,
                             int batch, int[] activeRows) {
        be.gruSequenceBackward(p.time(), activeRows, fromStep(be, buf.gates, first, batch),
                fromStep(be, buf.hiddenProjection, first, batch), p.weightHh().value(),
                fromStep(be, buf.states, first, batch), fromStep(be, dOutput, first, batch),
                fromStep(be, buf.dGates, first, batch), fromStep(be, buf.dHiddenProjection, first, batch),
                buf.dHidden);
        return true;
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
