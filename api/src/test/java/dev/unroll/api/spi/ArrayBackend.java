package dev.unroll.api.spi;

import dev.unroll.api.Activation;
import dev.unroll.api.DType;

/**
 * The smallest {@link AbstractBackend}: FLOAT64 tensors on one {@code double[]} each, with the memory operations
 * only (every other operation throws). For tests of the checks {@link AbstractBackend} makes before it calls a
 * backend: a check that lets a bad index through shows up here as an index out of the array's bounds, or as a
 * view of the wrong elements.
 */
final class ArrayBackend extends AbstractBackend<ArrayBackend.ArrayTensor> {

    /** A tensor on {@code data}, starting at {@code offset} (a row view shares its base's array). */
    static final class ArrayTensor extends AbstractTensor {
        final double[] data;
        final int offset;

        ArrayTensor(ArrayBackend owner, int[] shape, ArrayTensor base, double[] data, int offset) {
            super(owner, DType.FLOAT64, shape, base);
            this.data = data;
            this.offset = offset;
        }

        @Override
        protected void release() {
        }
    }

    ArrayBackend() {
        super("array", ArrayTensor.class);
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT64;
    }

    @Override
    protected ArrayTensor newTensor(DType dtype, int[] shape) {
        return new ArrayTensor(this, shape, null, new double[Math.toIntExact(Shapes.size(shape))], 0);
    }

    @Override
    protected ArrayTensor newRowView(ArrayTensor base, int firstRow, int rowCount) {
        // int arithmetic, as a backend computing an element offset would do: the check before it must hold
        return new ArrayTensor(this, new int[] {rowCount, base.cols()}, base, base.data,
                base.offset + firstRow * base.cols());
    }

    @Override
    protected ArrayTensor newReshaped(ArrayTensor base, int[] shape) {
        return new ArrayTensor(this, shape, base, base.data, base.offset);
    }

    @Override
    protected void doUpload(float[] src, ArrayTensor dst) {
        for (int i = 0; i < src.length; i++) {
            dst.data[dst.offset + i] = src[i];
        }
    }

    @Override
    protected void doUpload(double[] src, ArrayTensor dst) {
        System.arraycopy(src, 0, dst.data, dst.offset, src.length);
    }

    @Override
    protected void doDownload(ArrayTensor src, float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) src.data[src.offset + i];
        }
    }

    @Override
    protected void doDownload(ArrayTensor src, double[] dst) {
        System.arraycopy(src.data, src.offset, dst, 0, dst.length);
    }

    @Override
    protected void doFill(ArrayTensor t, double value) {
        java.util.Arrays.fill(t.data, t.offset, t.offset + (int) t.size(), value);
    }

    @Override
    protected void doCopyRows(ArrayTensor src, int srcRow, ArrayTensor dst, int dstRow, int count) {
        int cols = src.cols();
        System.arraycopy(src.data, src.offset + srcRow * cols, dst.data, dst.offset + dstRow * cols, count * cols);
    }

    @Override
    protected void doCopyColumns(ArrayTensor src, int srcCol, ArrayTensor dst, int dstCol, int count) {
        for (int r = 0; r < src.rows(); r++) {
            System.arraycopy(src.data, src.offset + r * src.cols() + srcCol, dst.data,
                    dst.offset + r * dst.cols() + dstCol, count);
        }
    }

    private static UnsupportedOperationException notHere() {
        return new UnsupportedOperationException("ArrayBackend has the memory operations only");
    }

    @Override protected void doGemm(boolean transA, boolean transB, double alpha, ArrayTensor a, ArrayTensor b,
                                    double beta, ArrayTensor c, int m, int n, int k) { throw notHere(); }
    @Override protected void doAdd(ArrayTensor a, ArrayTensor b, ArrayTensor out) { throw notHere(); }
    @Override protected void doSub(ArrayTensor a, ArrayTensor b, ArrayTensor out) { throw notHere(); }
    @Override protected void doMul(ArrayTensor a, ArrayTensor b, ArrayTensor out) { throw notHere(); }
    @Override protected void doDiv(ArrayTensor a, ArrayTensor b, ArrayTensor out) { throw notHere(); }
    @Override protected void doScale(double alpha, ArrayTensor x, ArrayTensor out) { throw notHere(); }
    @Override protected void doAddScalar(ArrayTensor x, double value, ArrayTensor out) { throw notHere(); }
    @Override protected void doAxpy(double alpha, ArrayTensor x, ArrayTensor y) { throw notHere(); }
    @Override protected void doSqrt(ArrayTensor x, ArrayTensor out) { throw notHere(); }
    @Override protected void doClamp(ArrayTensor x, double lo, double hi, ArrayTensor out) { throw notHere(); }
    @Override protected void doActivate(Activation f, ArrayTensor x, ArrayTensor out) { throw notHere(); }
    @Override protected void doActivateBackward(Activation f, ArrayTensor y, ArrayTensor dy, ArrayTensor dx) {
        throw notHere();
    }
    @Override protected void doAddRowVector(ArrayTensor m, ArrayTensor row, ArrayTensor out) { throw notHere(); }
    @Override protected void doMulColumnVector(ArrayTensor m, ArrayTensor column, ArrayTensor out) {
        throw notHere();
    }
    @Override protected void doColumnSums(ArrayTensor m, double beta, ArrayTensor out) { throw notHere(); }
    @Override protected double doSumOfSquares(ArrayTensor t) { throw notHere(); }
    @Override protected double doMaxAbs(ArrayTensor t) { throw notHere(); }
    @Override protected void doGatherRows(ArrayTensor table, int[] indices, ArrayTensor out) { throw notHere(); }
    @Override protected void doScatterAddRows(ArrayTensor src, int[] indices, ArrayTensor table) { throw notHere(); }
    @Override protected double doSoftmaxCrossEntropy(ArrayTensor logits, int[] targets, ArrayTensor probabilities) {
        throw notHere();
    }
    @Override protected void doSoftmaxCrossEntropyBackward(ArrayTensor probabilities, int[] targets, double scale,
                                                           ArrayTensor dLogits) { throw notHere(); }
}
