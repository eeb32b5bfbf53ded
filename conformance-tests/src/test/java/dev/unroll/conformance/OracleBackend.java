package dev.unroll.conformance;

import dev.unroll.api.Activation;
import dev.unroll.api.DType;
import dev.unroll.api.spi.AbstractBackend;
import dev.unroll.api.spi.AbstractTensor;
import dev.unroll.api.spi.Shapes;

import java.util.Arrays;

/**
 * A FLOAT64 backend whose every primitive is the kit's own oracle ({@link HostReference}) on one {@code double[]} per
 * tensor. The kit cannot depend on a real backend (the backends depend on it), so its own tests plant faults into
 * this one to show that a check notices them; {@code OracleBackendPassesPrimitiveChecksTest} shows that without a
 * fault it passes, so a failure with a fault is the fault's. Each operation reads all its inputs before it writes,
 * so an output that is also an input is fine. Argument checks are {@link AbstractBackend}'s.
 */
final class OracleBackend extends AbstractBackend<OracleBackend.ArrayTensor> {

    /** A tensor on {@code data} from {@code offset}; a row view or reshape shares its base's array. */
    static final class ArrayTensor extends AbstractTensor {
        final double[] data;
        final int offset;

        ArrayTensor(OracleBackend owner, int[] shape, ArrayTensor base, double[] data, int offset) {
            super(owner, DType.FLOAT64, shape, base);
            this.data = data;
            this.offset = offset;
        }

        @Override
        protected void release() {
        }
    }

    OracleBackend() {
        super("oracle", ArrayTensor.class);
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT64;
    }

    /** The tensor's matrix view as a host tensor (a copy). */
    private static HostTensor host(ArrayTensor t) {
        int size = Math.toIntExact(t.size());
        return new HostTensor(new int[] {t.rows(), t.cols()}, Arrays.copyOfRange(t.data, t.offset, t.offset + size));
    }

    /** Writes {@code values} (the tensor's element count, row-major) into {@code t}. */
    private static void put(ArrayTensor t, HostTensor values) {
        System.arraycopy(values.values(), 0, t.data, t.offset, values.size());
    }

    @Override
    protected ArrayTensor newTensor(DType dtype, int[] shape) {
        return new ArrayTensor(this, shape, null, new double[Math.toIntExact(Shapes.size(shape))], 0);
    }

    @Override
    protected ArrayTensor newRowView(ArrayTensor base, int firstRow, int rowCount) {
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
        Arrays.fill(t.data, t.offset, t.offset + Math.toIntExact(t.size()), value);
    }

    @Override
    protected void doCopyRows(ArrayTensor src, int srcRow, ArrayTensor dst, int dstRow, int count) {
        int cols = src.cols();
        System.arraycopy(src.data, src.offset + srcRow * cols, dst.data, dst.offset + dstRow * cols, count * cols);
    }

    @Override
    protected void doCopyColumns(ArrayTensor src, int srcCol, ArrayTensor dst, int dstCol, int count) {
        HostTensor from = host(src);
        for (int r = 0; r < src.rows(); r++) {
            System.arraycopy(from.values(), r * src.cols() + srcCol, dst.data, dst.offset + r * dst.cols() + dstCol,
                    count);
        }
    }

    @Override
    protected void doGemm(boolean transA, boolean transB, double alpha, ArrayTensor a, ArrayTensor b, double beta,
                          ArrayTensor c, int m, int n, int k) {
        put(c, HostReference.gemm(transA, transB, alpha, host(a), host(b), beta, host(c)));
    }

    @Override
    protected void doAdd(ArrayTensor a, ArrayTensor b, ArrayTensor out) {
        put(out, HostReference.zip(host(a), host(b), Double::sum));
    }

    @Override
    protected void doSub(ArrayTensor a, ArrayTensor b, ArrayTensor out) {
        put(out, HostReference.zip(host(a), host(b), (x, y) -> x - y));
    }

    @Override
    protected void doMul(ArrayTensor a, ArrayTensor b, ArrayTensor out) {
        put(out, HostReference.zip(host(a), host(b), (x, y) -> x * y));
    }

    @Override
    protected void doDiv(ArrayTensor a, ArrayTensor b, ArrayTensor out) {
        put(out, HostReference.zip(host(a), host(b), (x, y) -> x / y));
    }

    @Override
    protected void doScale(double alpha, ArrayTensor x, ArrayTensor out) {
        put(out, HostReference.map(host(x), v -> alpha * v));
    }

    @Override
    protected void doAddScalar(ArrayTensor x, double value, ArrayTensor out) {
        put(out, HostReference.map(host(x), v -> v + value));
    }

    @Override
    protected void doAxpy(double alpha, ArrayTensor x, ArrayTensor y) {
        put(y, HostReference.zip(host(x), host(y), (xv, yv) -> yv + alpha * xv));
    }

    @Override
    protected void doSqrt(ArrayTensor x, ArrayTensor out) {
        put(out, HostReference.map(host(x), Math::sqrt));
    }

    @Override
    protected void doClamp(ArrayTensor x, double lo, double hi, ArrayTensor out) {
        put(out, HostReference.map(host(x), v -> HostReference.clamp(v, lo, hi)));
    }

    @Override
    protected void doActivate(Activation f, ArrayTensor x, ArrayTensor out) {
        put(out, HostReference.activate(f, host(x)));
    }

    @Override
    protected void doActivateBackward(Activation f, ArrayTensor y, ArrayTensor dy, ArrayTensor dx) {
        put(dx, HostReference.activateBackward(f, host(y), host(dy)));
    }

    @Override
    protected void doAddRowVector(ArrayTensor m, ArrayTensor row, ArrayTensor out) {
        put(out, HostReference.addRowVector(host(m), host(row)));
    }

    @Override
    protected void doMulColumnVector(ArrayTensor m, ArrayTensor column, ArrayTensor out) {
        put(out, HostReference.mulColumnVector(host(m), host(column)));
    }

    @Override
    protected void doColumnSums(ArrayTensor m, double beta, ArrayTensor out) {
        put(out, HostReference.columnSums(host(m), beta, host(out)));
    }

    @Override
    protected double doSumOfSquares(ArrayTensor t) {
        return HostReference.sumOfSquares(host(t));
    }

    @Override
    protected double doMaxAbs(ArrayTensor t) {
        return HostReference.maxAbs(host(t));
    }

    @Override
    protected void doGatherRows(ArrayTensor table, int[] indices, ArrayTensor out) {
        put(out, HostReference.gatherRows(host(table), indices));
    }

    @Override
    protected void doScatterAddRows(ArrayTensor src, int[] indices, ArrayTensor table) {
        put(table, HostReference.scatterAddRows(host(src), indices, host(table)));
    }

    @Override
    protected double doSoftmaxCrossEntropy(ArrayTensor logits, int[] targets, ArrayTensor probabilities) {
        HostTensor l = host(logits);
        put(probabilities, HostReference.softmax(l));
        return HostReference.crossEntropy(l, targets);
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(ArrayTensor probabilities, int[] targets, double scale,
                                                 ArrayTensor dLogits) {
        put(dLogits, HostReference.softmaxCrossEntropyBackward(host(probabilities), targets, scale));
    }
}
