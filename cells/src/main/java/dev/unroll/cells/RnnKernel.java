package dev.unroll.cells;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** Vanilla RNN: {@code h = f(W_ih x + b_ih + W_hh h_prev + b_hh)}. */
final class RnnKernel extends StepKernel {
    private final Activation activation;

    RnnKernel(Activation activation) {
        this.activation = activation;
    }

    @Override
    boolean forwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, int[] activeRows) {
        prepareForward(be, p, buf);
        be.rnnSequenceForward(p.time(), activeRows, activation, buf.gates, p.weightHh().value(), buf.states);
        return true;
    }


    @Override
    boolean backwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, Tensor dOutput, int first,
                             int batch, int[] activeRows) {
        be.rnnSequenceBackward(p.time(), activeRows, activation, p.weightHh().value(),
                fromStep(be, buf.states, first, batch), fromStep(be, dOutput, first, batch),
                fromStep(be, buf.dGates, first, batch), buf.dHidden);
        return true;
    }

}
