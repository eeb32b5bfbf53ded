package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * LSTM: the backend's whole-sequence LSTM calls (each step: the recurrent GEMM into its gate rows, then the fused
 * step).
 */
final class LstmKernel extends StepKernel {

    @Override
    boolean forwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, int[] activeRows) {
        prepareForward(be, p, buf);
        be.lstmSequenceForward(p.time(), activeRows, buf.gates, p.weightHh().value(), buf.states, buf.cells);
        return true;
    }


    @Override
    boolean backwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, Tensor dOutput, int first,
                             int batch, int[] activeRows) {
        be.lstmSequenceBackward(p.time(), activeRows, fromStep(be, buf.gates, first, batch), p.weightHh().value(),
                fromStep(be, buf.cells, first, batch), fromStep(be, dOutput, first, batch),
                fromStep(be, buf.dGates, first, batch), buf.dHidden, buf.dCell);
        return true;
    }

}
