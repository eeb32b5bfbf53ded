package dev.unroll.api.spi;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

/**
 * A backend that forwards every primitive to a delegate and keeps the interface's composite defaults for
 * the fused operations, so every fused call runs through this object's primitives. Uses:
 * <ul>
 *   <li>checking a backend's fused overrides against the composite path built from its own primitives;</li>
 *   <li>planting a fault in one primitive (override it) to prove a test suite notices.</li>
 * </ul>
 * Tensors stay the delegate's: this backend makes none of its own.
 */
public class ForwardingBackend implements Backend {
    protected final Backend delegate;
    private final String name;

    public ForwardingBackend(Backend delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public boolean supports(DType dtype) { return delegate.supports(dtype); }
    @Override public Tensor allocate(DType dtype, int... shape) { return delegate.allocate(dtype, shape); }
    @Override public void upload(float[] src, Tensor dst) { delegate.upload(src, dst); }
    @Override public void upload(double[] src, Tensor dst) { delegate.upload(src, dst); }
    @Override public void download(Tensor src, float[] dst) { delegate.download(src, dst); }
    @Override public void download(Tensor src, double[] dst) { delegate.download(src, dst); }
    @Override public Tensor viewRows(Tensor base, int firstRow, int rowCount) { return delegate.viewRows(base, firstRow, rowCount); }
    @Override public Tensor reshape(Tensor base, int... shape) { return delegate.reshape(base, shape); }
    @Override public void fill(Tensor t, double value) { delegate.fill(t, value); }
    @Override public void synchronize() { delegate.synchronize(); }
    @Override public void copy(Tensor src, Tensor dst) { delegate.copy(src, dst); }
    @Override public void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int count) { delegate.copyRows(src, srcRow, dst, dstRow, count); }
    @Override public void copyColumns(Tensor src, int srcCol, Tensor dst, int dstCol, int count) { delegate.copyColumns(src, srcCol, dst, dstCol, count); }
    @Override public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) { delegate.gemm(transA, transB, alpha, a, b, beta, c); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { delegate.add(a, b, out); }
    @Override public void sub(Tensor a, Tensor b, Tensor out) { delegate.sub(a, b, out); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { delegate.mul(a, b, out); }
    @Override public void div(Tensor a, Tensor b, Tensor out) { delegate.div(a, b, out); }
    @Override public void scale(double alpha, Tensor x, Tensor out) { delegate.scale(alpha, x, out); }
    @Override public void addScalar(Tensor x, double value, Tensor out) { delegate.addScalar(x, value, out); }
    @Override public void axpy(double alpha, Tensor x, Tensor y) { delegate.axpy(alpha, x, y); }
    @Override public void sqrt(Tensor x, Tensor out) { delegate.sqrt(x, out); }
    @Override public void clamp(Tensor x, double lo, double hi, Tensor out) { delegate.clamp(x, lo, hi, out); }
    @Override public void activate(Activation f, Tensor x, Tensor out) { delegate.activate(f, x, out); }
    @Override public void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) { delegate.activateBackward(f, y, dy, dx); }
    @Override public void addRowVector(Tensor m, Tensor row, Tensor out) { delegate.addRowVector(m, row, out); }
    @Override public void mulColumnVector(Tensor m, Tensor column, Tensor out) { delegate.mulColumnVector(m, column, out); }
    @Override public void columnSums(Tensor m, double beta, Tensor out) { delegate.columnSums(m, beta, out); }
    @Override public double sumOfSquares(Tensor t) { return delegate.sumOfSquares(t); }
    @Override public double maxAbs(Tensor t) { return delegate.maxAbs(t); }
    @Override public void gatherRows(Tensor table, int[] indices, Tensor out) { delegate.gatherRows(table, indices, out); }
    @Override public void scatterAddRows(Tensor src, int[] indices, Tensor table) { delegate.scatterAddRows(src, indices, table); }
    @Override public double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor probabilities) { return delegate.softmaxCrossEntropy(logits, targets, probabilities); }
    @Override public void softmaxCrossEntropyBackward(Tensor probabilities, int[] targets, double scale, Tensor dLogits) { delegate.softmaxCrossEntropyBackward(probabilities, targets, scale, dLogits); }

    /** Closes nothing: the delegate belongs to whoever made it. */
    @Override
    public void close() {
    }
}
