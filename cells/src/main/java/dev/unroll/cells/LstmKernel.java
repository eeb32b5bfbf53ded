package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;

/** LSTM: the recurrent GEMM into the step's gate rows, then the backend's fused LSTM step. */
final class LstmKernel extends StepKernel {

    @Override
    boolean forwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, int[] activeRows) {
        prepareForward(be, p, buf);
        be.lstmSequenceForward(p.time(), activeRows, buf.gates, p.weightHh().value(), buf.states, buf.cells);
        return true;
    }

    @Override
    void forward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step,
                 RecurrentProduct recurrent) {
        Tensor gates = step.atTime(buf.gates);
        recurrent.addTo(step.previous(buf.states), gates);
        be.lstmStepForward(gates, step.previous(buf.cells), step.next(buf.cells), step.next(buf.states));
    }

    @Override
    boolean backwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, Tensor dOutput, int first,
                             int batch, int[] activeRows) {
        be.lstmSequenceBackward(p.time(), activeRows, fromStep(be, buf.gates, first, batch), p.weightHh().value(),
                fromStep(be, buf.cells, first, batch), fromStep(be, dOutput, first, batch),
                fromStep(be, buf.dGates, first, batch), buf.dHidden, buf.dCell);
        return true;
    }

    @Override
    void backward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step) {
        Tensor dh = step.head(buf.dHidden);
        Tensor dGates = step.atTime(buf.dGates);
        be.lstmStepBackward(step.atTime(buf.gates), step.previous(buf.cells), step.next(buf.cells), dh,
                step.head(buf.dCell), dGates);
        be.gemm(false, false, 1, dGates, p.weightHh().value(), 0, dh);
    }
}
