package dev.unroll.backend.ejml;

import dev.unroll.api.Activation;

/**
 * The arithmetic of one dtype on {@link EjmlTensor}s. {@link EjmlBackend} has validated every argument
 * (ownership, dtype, shapes, index ranges) before calling, so implementations only compute. The two
 * implementations, {@link Float32Kernels} and {@link Float64Kernels}, are the same loops on {@code float[]}
 * and {@code double[]}: Java cannot abstract over primitive arrays without boxing or a copy.
 *
 * <p>Element-wise outputs may be the very tensor of an input; each loop reads an element's inputs before it
 * writes that element's outputs. The fused steps follow {@link dev.unroll.api.CompositeSteps} operation by
 * operation, rounding where it rounds, so both paths give the same bits.
 */
interface DenseKernels {

    void upload(float[] src, EjmlTensor dst);

    void upload(double[] src, EjmlTensor dst);

    void download(EjmlTensor src, float[] dst);

    void download(EjmlTensor src, double[] dst);

    void fill(EjmlTensor t, double value);

    void copyRows(EjmlTensor src, int srcRow, EjmlTensor dst, int dstRow, int count);

    void copyColumns(EjmlTensor src, int srcCol, EjmlTensor dst, int dstCol, int count);

    /** {@code c[m, n] = alpha * op(a) * op(b) + beta * c}; c shares no storage with a or b. */
    void gemm(boolean transA, boolean transB, double alpha, EjmlTensor a, EjmlTensor b, double beta, EjmlTensor c);

    void add(EjmlTensor a, EjmlTensor b, EjmlTensor out);

    void sub(EjmlTensor a, EjmlTensor b, EjmlTensor out);

    void mul(EjmlTensor a, EjmlTensor b, EjmlTensor out);

    void div(EjmlTensor a, EjmlTensor b, EjmlTensor out);

    void scale(double alpha, EjmlTensor x, EjmlTensor out);

    void addScalar(EjmlTensor x, double value, EjmlTensor out);

    void axpy(double alpha, EjmlTensor x, EjmlTensor y);

    void sqrt(EjmlTensor x, EjmlTensor out);

    void clamp(EjmlTensor x, double lo, double hi, EjmlTensor out);

    void activate(Activation f, EjmlTensor x, EjmlTensor out);

    void activateBackward(Activation f, EjmlTensor y, EjmlTensor dy, EjmlTensor dx);

    void addRowVector(EjmlTensor m, EjmlTensor row, EjmlTensor out);

    void mulColumnVector(EjmlTensor m, EjmlTensor column, EjmlTensor out);

    void columnSums(EjmlTensor m, double beta, EjmlTensor out);

    double sumOfSquares(EjmlTensor t);

    double maxAbs(EjmlTensor t);

    void gatherRows(EjmlTensor table, int[] indices, EjmlTensor out);

    void scatterAddRows(EjmlTensor src, int[] indices, EjmlTensor table);

    double softmaxCrossEntropy(EjmlTensor logits, int[] targets, EjmlTensor probabilities);

    void softmaxCrossEntropyBackward(EjmlTensor probabilities, int[] targets, double scale, EjmlTensor dLogits);

    void lstmStepForward(EjmlTensor gates, EjmlTensor cPrev, EjmlTensor c, EjmlTensor h);

    void lstmStepBackward(EjmlTensor gates, EjmlTensor cPrev, EjmlTensor c, EjmlTensor dh, EjmlTensor dc,
                          EjmlTensor dGates);

    void gruStepForward(EjmlTensor gates, EjmlTensor hProj, EjmlTensor hPrev, EjmlTensor h);

    void gruStepBackward(EjmlTensor gates, EjmlTensor hProj, EjmlTensor hPrev, EjmlTensor dh, EjmlTensor dInput,
                         EjmlTensor dHidden);

    void adamUpdate(EjmlTensor param, EjmlTensor grad, EjmlTensor m, EjmlTensor v, double lr, double beta1,
                    double beta2, double eps, double weightDecay, long step);
}
