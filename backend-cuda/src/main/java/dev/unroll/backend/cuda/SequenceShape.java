package dev.unroll.backend.cuda;

import dev.unroll.api.StepShapes;
import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * The checked dimensions of a whole-sequence recurrent forward ({@code CudaBackend.lstmSequenceForward} and its
 * GRU and RNN siblings): {@code T} steps of {@code B} rows, hidden size {@code H}, {@code G} gates per unit.
 *
 * @param steps  T
 * @param batch  B
 * @param hidden H
 */
record SequenceShape(int steps, int batch, int hidden) {

    /**
     * Checks {@code xProj [T*B, G*H]}, {@code weightHh [G*H, H]}, {@code h0 [B, H]}, {@code gates} shaped like
     * {@code xProj} and {@code states [T*B, H]}; the message of a mismatch names the operation and the shapes.
     */
    static SequenceShape check(String op, int gatesPerUnit, Tensor xProj, Tensor weightHh, Tensor h0, Tensor gates,
                               Tensor states) {
        int batch = h0.rows();
        int hidden = h0.cols();
        int width = gatesPerUnit * hidden;
        if (weightHh.rows() != width || weightHh.cols() != hidden) {
            throw new IllegalArgumentException(op + ": weightHh has shape " + Arrays.toString(weightHh.shape())
                    + " but must be [" + width + ", " + hidden + "] for h0 " + Arrays.toString(h0.shape()));
        }
        if (xProj.cols() != width || xProj.rows() % batch != 0) {
            throw new IllegalArgumentException(op + ": xProj has shape " + Arrays.toString(xProj.shape())
                    + " but must be [T*" + batch + ", " + width + "] for h0 " + Arrays.toString(h0.shape()));
        }
        StepShapes.same(op, "xProj", xProj, "gates", gates);
        if (states.rows() != xProj.rows() || states.cols() != hidden) {
            throw new IllegalArgumentException(op + ": the per-step states have shape "
                    + Arrays.toString(states.shape()) + " but must be [" + xProj.rows() + ", " + hidden + "]");
        }
        return new SequenceShape(xProj.rows() / batch, batch, hidden);
    }
}
