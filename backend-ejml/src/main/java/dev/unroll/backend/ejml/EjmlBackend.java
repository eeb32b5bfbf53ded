package dev.unroll.backend.ejml;

import dev.unroll.api.Activation;
import dev.unroll.api.DType;
import dev.unroll.api.StepShapes;
import dev.unroll.api.Tensor;
import dev.unroll.api.spi.AbstractBackend;

/**
 * A pure-Java backend on EJML's dense row-major matrices: FLOAT32 tensors are {@code float[]} blocks
 * multiplied with {@code CommonOps_FDRM}, FLOAT64 tensors {@code double[]} blocks multiplied with
 * {@code CommonOps_DDRM} (and their concurrent {@code CommonOps_MT_*} variants for large products). Every
 * other operation, and the fused LSTM/GRU steps and Adam update, are direct loops over the arrays.
 *
 * <p>Argument checks live in {@link AbstractBackend}; this class only picks the kernels of the tensors' dtype.
 * Not thread-safe, like every backend.
 */
public final class EjmlBackend extends AbstractBackend<EjmlTensor> {
    /** The provider name. */
    public static final String NAME = "ejml";

    private final DenseKernels float32;
    private final DenseKernels float64;

    /** A backend that uses EJML's concurrent GEMM for large products. */
    public EjmlBackend() {
        this(0);
    }

    /**
     * @param threads 1 for single-threaded GEMM only; any other value lets large products use EJML's
     *                concurrent routines (whose thread count is EJML's global setting)
     */
    public EjmlBackend(int threads) {
        this(GemmTuning.of(threads));
    }

    /** A backend with explicit GEMM routing; tests use it to force the concurrent routes at small sizes. */
    EjmlBackend(GemmTuning tuning) {
        super(NAME, EjmlTensor.class);
        this.float32 = new Float32Kernels(tuning);
        this.float64 = new Float64Kernels(tuning);
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64;
    }

    private DenseKernels kernels(EjmlTensor t) {
        return t.dtype() == DType.FLOAT32 ? float32 : float64;
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected EjmlTensor newTensor(DType dtype, int[] shape) {
        return EjmlTensor.allocate(this, dtype, shape);
    }

    @Override
    protected EjmlTensor newRowView(EjmlTensor base, int firstRow, int rowCount) {
        return EjmlTensor.view(this, base, new int[] {rowCount, base.cols()}, firstRow * base.cols());
    }

    @Override
    protected EjmlTensor newReshaped(EjmlTensor base, int[] shape) {
        return EjmlTensor.view(this, base, shape, 0);
    }

    @Override
    protected void doUpload(float[] src, EjmlTensor dst) {
        kernels(dst).upload(src, dst);
    }

    @Override
    protected void doUpload(double[] src, EjmlTensor dst) {
        kernels(dst).upload(src, dst);
    }

    @Override
    protected void doDownload(EjmlTensor src, float[] dst) {
        kernels(src).download(src, dst);
    }

    @Override
    protected void doDownload(EjmlTensor src, double[] dst) {
        kernels(src).download(src, dst);
    }

    @Override
    protected void doFill(EjmlTensor t, double value) {
        kernels(t).fill(t, value);
    }

    @Override
    protected void doCopyRows(EjmlTensor src, int srcRow, EjmlTensor dst, int dstRow, int count) {
        kernels(src).copyRows(src, srcRow, dst, dstRow, count);
    }

    @Override
    protected void doCopyColumns(EjmlTensor src, int srcCol, EjmlTensor dst, int dstCol, int count) {
        kernels(src).copyColumns(src, srcCol, dst, dstCol, count);
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    protected void doGemm(boolean transA, boolean transB, double alpha, EjmlTensor a, EjmlTensor b, double beta,
                          EjmlTensor c, int m, int n, int k) {
        kernels(c).gemm(transA, transB, alpha, a, b, beta, c);
    }

    @Override
    protected void doAdd(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        kernels(out).add(a, b, out);
    }

    @Override
    protected void doSub(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        kernels(out).sub(a, b, out);
    }

    @Override
    protected void doMul(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        kernels(out).mul(a, b, out);
    }

    @Override
    protected void doDiv(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        kernels(out).div(a, b, out);
    }

    @Override
    protected void doScale(double alpha, EjmlTensor x, EjmlTensor out) {
        kernels(out).scale(alpha, x, out);
    }

    @Override
    protected void doAddScalar(EjmlTensor x, double value, EjmlTensor out) {
        kernels(out).addScalar(x, value, out);
    }

    @Override
    protected void doAxpy(double alpha, EjmlTensor x, EjmlTensor y) {
        kernels(y).axpy(alpha, x, y);
    }

    @Override
    protected void doSqrt(EjmlTensor x, EjmlTensor out) {
        kernels(out).sqrt(x, out);
    }

    @Override
    protected void doClamp(EjmlTensor x, double lo, double hi, EjmlTensor out) {
        kernels(out).clamp(x, lo, hi, out);
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doActivate(Activation f, EjmlTensor x, EjmlTensor out) {
        kernels(out).activate(f, x, out);
    }

    @Override
    protected void doActivateBackward(Activation f, EjmlTensor y, EjmlTensor dy, EjmlTensor dx) {
        kernels(dx).activateBackward(f, y, dy, dx);
    }

    // ---------------------------------------------------------------- broadcasting and reductions

    @Override
    protected void doAddRowVector(EjmlTensor m, EjmlTensor row, EjmlTensor out) {
        kernels(out).addRowVector(m, row, out);
    }

    @Override
    protected void doMulColumnVector(EjmlTensor m, EjmlTensor column, EjmlTensor out) {
        kernels(out).mulColumnVector(m, column, out);
    }

    @Override
    protected void doColumnSums(EjmlTensor m, double beta, EjmlTensor out) {
        kernels(out).columnSums(m, beta, out);
    }

    @Override
    protected double doSumOfSquares(EjmlTensor t) {
        return kernels(t).sumOfSquares(t);
    }

    @Override
    protected double doMaxAbs(EjmlTensor t) {
        return kernels(t).maxAbs(t);
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    protected void doGatherRows(EjmlTensor table, int[] indices, EjmlTensor out) {
        kernels(out).gatherRows(table, indices, out);
    }

    @Override
    protected void doScatterAddRows(EjmlTensor src, int[] indices, EjmlTensor table) {
        kernels(table).scatterAddRows(src, indices, table);
    }

    // ---------------------------------------------------------------- loss

    @Override
    protected double doSoftmaxCrossEntropy(EjmlTensor logits, int[] targets, EjmlTensor probabilities) {
        return kernels(logits).softmaxCrossEntropy(logits, targets, probabilities);
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(EjmlTensor probabilities, int[] targets, double scale,
                                                 EjmlTensor dLogits) {
        kernels(dLogits).softmaxCrossEntropyBackward(probabilities, targets, scale, dLogits);
    }

    // ---------------------------------------------------------------- fused steps: same checks, one loop

    // Each tensor is taken through own() (ours, open, not null) before StepShapes compares the shapes, so a tensor
    // of another backend or a closed one is refused by name before the shapes are read, as in every other op.

    @Override
    public void lstmStepForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h) {
        String op = "lstmStepForward";
        EjmlTensor g = own(op, "gates", gates);
        EjmlTensor cp = own(op, "cPrev", cPrev);
        EjmlTensor cc = own(op, "c", c);
        EjmlTensor hh = own(op, "h", h);
        StepShapes.lstmStepForward(g, cp, cc, hh);
        kernels(g).lstmStepForward(g, cp, cc, hh);
    }

    @Override
    public void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        String op = "lstmStepBackward";
        EjmlTensor g = own(op, "gates", gates);
        EjmlTensor cp = own(op, "cPrev", cPrev);
        EjmlTensor cc = own(op, "c", c);
        EjmlTensor dhh = own(op, "dh", dh);
        EjmlTensor dcc = own(op, "dc", dc);
        EjmlTensor dg = own(op, "dGates", dGates);
        StepShapes.lstmStepBackward(g, cp, cc, dhh, dcc, dg);
        kernels(g).lstmStepBackward(g, cp, cc, dhh, dcc, dg);
    }

    @Override
    public void gruStepForward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        String op = "gruStepForward";
        EjmlTensor g = own(op, "gates", gates);
        EjmlTensor hp = own(op, "hProj", hProj);
        EjmlTensor prev = own(op, "hPrev", hPrev);
        EjmlTensor hh = own(op, "h", h);
        StepShapes.gruStepForward(g, hp, prev, hh);
        kernels(g).gruStepForward(g, hp, prev, hh);
    }

    @Override
    public void gruStepBackward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh, Tensor dInput,
                                Tensor dHidden) {
        String op = "gruStepBackward";
        EjmlTensor g = own(op, "gates", gates);
        EjmlTensor hp = own(op, "hProj", hProj);
        EjmlTensor prev = own(op, "hPrev", hPrev);
        EjmlTensor dhh = own(op, "dh", dh);
        EjmlTensor di = own(op, "dInput", dInput);
        EjmlTensor dhid = own(op, "dHidden", dHidden);
        StepShapes.gruStepBackward(g, hp, prev, dhh, di, dhid);
        kernels(g).gruStepBackward(g, hp, prev, dhh, di, dhid);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, double weightDecay, long step) {
        String op = "adamUpdate";
        EjmlTensor p = own(op, "param", param);
        EjmlTensor g = own(op, "grad", grad);
        EjmlTensor mm = own(op, "m", m);
        EjmlTensor vv = own(op, "v", v);
        StepShapes.same(op, "param", p, "grad", g);
        StepShapes.same(op, "param", p, "m", mm);
        StepShapes.same(op, "param", p, "v", vv);
        if (step < 1) {
            throw new IllegalArgumentException("adamUpdate: step must be >= 1, was " + step);
        }
        kernels(p).adamUpdate(p, g, mm, vv, lr, beta1, beta2, eps, weightDecay, step);
    }
}
