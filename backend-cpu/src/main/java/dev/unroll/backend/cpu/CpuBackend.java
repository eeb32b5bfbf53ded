package dev.unroll.backend.cpu;

import dev.unroll.api.Activation;
import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.StepShapes;
import dev.unroll.api.Tensor;
import dev.unroll.api.spi.AbstractBackend;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The {@code cpu} backend: tensors live in ND4J arrays (native memory, c-order); GEMMs go straight to oneDNN
 * (float32) or to the OpenBLAS that ND4J bundles ({@link Blas}: one JNI call per thread), and element-wise
 * work, including the fused LSTM/GRU steps and the Adam update, runs as Java loops over the same native
 * memory.
 *
 * <p>Why not ND4J's ops: each ND4J op call costs several microseconds of Java-side set-up and JNI, and an
 * LSTM step composed from ND4J ops takes a dozen of them; at batch 1 a whole step of PyTorch costs about 30.
 * One JNI call per GEMM and no other native call per step is what keeps small shapes fast.
 *
 * <p>FLOAT32, the working dtype, takes the vectorized {@link Float32Kernels} for everything a recurrent step
 * or an optimizer step calls (float arithmetic in the order of the composite path, activations within a few
 * ulps); FLOAT64, the oracle dtype of gradient checks, takes {@link Float64Kernels}. The remaining, colder
 * operations (losses, reductions, embeddings) are written once for both dtypes over {@link Elements}, in
 * double rounded once to the tensor's dtype.
 */
public final class CpuBackend extends AbstractBackend<CpuTensor> {
    private final int threads;
    private final RangeExecutor executor;
    private final Blas blas;
    private final Float32Tanh tanh;
    private final Float32Kernels float32;
    private final Float64Kernels float64;
    private double[] columnSumScratch = new double[0];
    /** The transposed copies of {@code W_hh} that {@link #recurrentProduct} hands out, kept for reuse. */
    private final ScratchTensors transposedScratch = new ScratchTensors(this);

    /**
     * A backend whose float32 GEMMs take oneDNN where it loads, otherwise OpenBLAS.
     *
     * @param threads threads for the GEMMs and the fused element-wise kernels (at least 1)
     */
    public CpuBackend(int threads) {
        this(threads, GemmEngine.preferred());
    }

    /**
     * @param threads threads for the GEMMs and the fused element-wise kernels (at least 1)
     * @param gemm    the library of the float32 GEMMs; it must be available
     */
    CpuBackend(int threads, GemmEngine gemm) {
        this(threads, gemm, Float32Tanh.FAST);
    }

    /**
     * @param threads threads for the GEMMs and the fused element-wise kernels (at least 1)
     * @param gemm    the library of the float32 GEMMs; it must be available
     * @param tanh    the float32 tanh: fast, or correctly rounded
     */
    CpuBackend(int threads, GemmEngine gemm, Float32Tanh tanh) {
        super(CpuBackendProvider.NAME, CpuTensor.class);
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads must be >= 1, was " + threads);
        }
        Nd4jRuntime.require();
        if (!gemm.availability().available()) {
            throw new IllegalStateException("cpu backend: GEMM engine " + gemm.settingValue() + " is unavailable: "
                    + gemm.availability().reason());
        }
        Nd4jRuntime.setThreads(threads);
        this.threads = threads;
        this.executor = new RangeExecutor(threads);
        this.blas = new Blas(executor, gemm);
        this.tanh = tanh;
        this.float32 = new Float32Kernels(executor, tanh);
        this.float64 = new Float64Kernels(executor);
    }

    /** The number of threads this backend was created with. */
    public int threads() {
        return threads;
    }

    /** The library of this backend's float32 GEMMs: {@code onednn} or {@code openblas}. */
    public String gemmEngine() {
        return blas.engine().settingValue();
    }

    /** The float32 tanh, as its setting names it: {@code fast} or {@code exact}. */
    public String float32Tanh() {
        return tanh.settingValue();
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64;
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected CpuTensor newTensor(DType dtype, int[] shape) {
        return CpuTensor.allocate(this, dtype, shape);
    }

    @Override
    protected CpuTensor newRowView(CpuTensor base, int firstRow, int rowCount) {
        return CpuTensor.view(this, base, new int[] {rowCount, base.cols()}, firstRow * base.cols());
    }

    @Override
    protected CpuTensor newReshaped(CpuTensor base, int[] shape) {
        return CpuTensor.view(this, base, shape, 0);
    }

    @Override
    protected void doUpload(float[] src, CpuTensor dst) {
        if (dst.dtype() == DType.FLOAT32) {
            dst.floats().put(dst.offset(), src, 0, src.length);
        } else {
            Elements d = dst.elements();
            for (int i = 0; i < src.length; i++) {
                d.set(i, src[i]);
            }
        }
    }

    @Override
    protected void doUpload(double[] src, CpuTensor dst) {
        if (dst.dtype() == DType.FLOAT64) {
            dst.doubles().put(dst.offset(), src, 0, src.length);
        } else {
            Elements d = dst.elements();
            for (int i = 0; i < src.length; i++) {
                d.set(i, src[i]);
            }
        }
    }

    @Override
    protected void doDownload(CpuTensor src, float[] dst) {
        if (src.dtype() == DType.FLOAT32) {
            src.floats().get(src.offset(), dst, 0, dst.length);
        } else {
            Elements s = src.elements();
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (float) s.get(i);
            }
        }
    }

    @Override
    protected void doDownload(CpuTensor src, double[] dst) {
        if (src.dtype() == DType.FLOAT64) {
            src.doubles().get(src.offset(), dst, 0, dst.length);
        } else {
            Elements s = src.elements();
            for (int i = 0; i < dst.length; i++) {
                dst[i] = s.get(i);
            }
        }
    }

    @Override
    protected void doFill(CpuTensor t, double value) {
        if (t.dtype() == DType.FLOAT32) {
            float32.fill(t, (float) value);
            return;
        }
        Elements e = t.elements();
        int n = (int) t.size();
        for (int i = 0; i < n; i++) {
            e.set(i, value);
        }
    }

    @Override
    protected void doCopyRows(CpuTensor src, int srcRow, CpuTensor dst, int dstRow, int count) {
        int cols = src.cols();
        int from = src.offset() + srcRow * cols;
        int to = dst.offset() + dstRow * cols;
        // Bulk copies between direct buffers are memmove-like, so overlapping rows of one tensor are safe.
        if (src.dtype() == DType.FLOAT32) {
            dst.floats().put(to, src.floats(), from, count * cols);
        } else {
            dst.doubles().put(to, src.doubles(), from, count * cols);
        }
    }

    @Override
    protected void doCopyColumns(CpuTensor src, int srcCol, CpuTensor dst, int dstCol, int count) {
        int rows = src.rows();
        int srcCols = src.cols();
        int dstCols = dst.cols();
        // Each row's copy is memmove-like, so one tensor (or views of one layout) is safe row by row. Views of one
        // storage with other row lengths are not: a row written early can be a later row's source, so copy those
        // from a snapshot of src, as the EJML backend does (dst[:, j] = src[:, j] as src was before the call).
        boolean snapshot = src.overlaps(dst) && (src.offset() != dst.offset() || srcCols != dstCols);
        if (src.dtype() == DType.FLOAT32) {
            FloatBuffer from = src.floats();
            int fromOffset = src.offset();
            if (snapshot) {
                float[] copy = new float[(int) src.size()];
                from.get(fromOffset, copy, 0, copy.length);
                from = FloatBuffer.wrap(copy);
                fromOffset = 0;
            }
            for (int r = 0; r < rows; r++) {
                dst.floats().put(dst.offset() + r * dstCols + dstCol, from, fromOffset + r * srcCols + srcCol, count);
            }
        } else {
            DoubleBuffer from = src.doubles();
            int fromOffset = src.offset();
            if (snapshot) {
                double[] copy = new double[(int) src.size()];
                from.get(fromOffset, copy, 0, copy.length);
                from = DoubleBuffer.wrap(copy);
                fromOffset = 0;
            }
            for (int r = 0; r < rows; r++) {
                dst.doubles().put(dst.offset() + r * dstCols + dstCol, from, fromOffset + r * srcCols + srcCol,
                        count);
            }
        }
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    protected void doGemm(boolean transA, boolean transB, double alpha, CpuTensor a, CpuTensor b, double beta,
                          CpuTensor c, int m, int n, int k) {
        blas.gemm(transA, transB, alpha, a, b, beta, c, m, n, k);
    }

    @Override
    protected void doAdd(CpuTensor a, CpuTensor b, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.add(a, b, out);
            return;
        }
        Elements x = a.elements();
        Elements y = b.elements();
        Elements o = out.elements();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, x.get(i) + y.get(i));
        }
    }

    @Override
    protected void doSub(CpuTensor a, CpuTensor b, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.sub(a, b, out);
            return;
        }
        Elements x = a.elements();
        Elements y = b.elements();
        Elements o = out.elements();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, x.get(i) - y.get(i));
        }
    }

    @Override
    protected void doMul(CpuTensor a, CpuTensor b, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.mul(a, b, out);
            return;
        }
        Elements x = a.elements();
        Elements y = b.elements();
        Elements o = out.elements();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, x.get(i) * y.get(i));
        }
    }

    @Override
    protected void doDiv(CpuTensor a, CpuTensor b, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.div(a, b, out);
            return;
        }
        Elements x = a.elements();
        Elements y = b.elements();
        Elements o = out.elements();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, x.get(i) / y.get(i));
        }
    }

    @Override
    protected void doScale(double alpha, CpuTensor x, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.scale((float) alpha, x, out);
            return;
        }
        Elements in = x.elements();
        Elements o = out.elements();
        double a = o.round(alpha);
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, a * in.get(i));
        }
    }

    @Override
    protected void doAddScalar(CpuTensor x, double value, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.addScalar(x, (float) value, out);
            return;
        }
        Elements in = x.elements();
        Elements o = out.elements();
        double v = o.round(value);
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, in.get(i) + v);
        }
    }

    @Override
    protected void doAxpy(double alpha, CpuTensor x, CpuTensor y) {
        if (y.dtype() == DType.FLOAT32) {
            float32.axpy((float) alpha, x, y);
            return;
        }
        Elements in = x.elements();
        Elements o = y.elements();
        double a = o.round(alpha);
        int n = (int) y.size();
        for (int i = 0; i < n; i++) {
            o.set(i, o.get(i) + a * in.get(i));
        }
    }

    @Override
    protected void doSqrt(CpuTensor x, CpuTensor out) {
        Elements in = x.elements();
        Elements o = out.elements();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            o.set(i, Math.sqrt(in.get(i)));
        }
    }

    @Override
    protected void doClamp(CpuTensor x, double lo, double hi, CpuTensor out) {
        Elements in = x.elements();
        Elements o = out.elements();
        double low = o.round(lo);
        double high = o.round(hi);
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            // Math.max/min return NaN for a NaN argument, so NaN stays NaN.
            o.set(i, Math.min(Math.max(in.get(i), low), high));
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doActivate(Activation f, CpuTensor x, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.activate(f, x, out);
        } else {
            float64.activate(f, x.elements(), out.elements(), x.rows(), x.cols());
        }
    }

    @Override
    protected void doActivateBackward(Activation f, CpuTensor y, CpuTensor dy, CpuTensor dx) {
        if (dx.dtype() == DType.FLOAT32) {
            float32.activateBackward(f, y, dy, dx);
        } else {
            float64.activateBackward(f, y.elements(), dy.elements(), dx.elements(), y.rows(), y.cols());
        }
    }

    // ---------------------------------------------------------------- broadcasting and reductions

    @Override
    protected void doAddRowVector(CpuTensor m, CpuTensor row, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.addRowVector(m, row, out);
            return;
        }
        Elements in = m.elements();
        Elements r = row.elements();
        Elements o = out.elements();
        int rows = m.rows();
        int cols = m.cols();
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                o.set(base + j, in.get(base + j) + r.get(j));
            }
        }
    }

    @Override
    protected void doMulColumnVector(CpuTensor m, CpuTensor column, CpuTensor out) {
        Elements in = m.elements();
        Elements c = column.elements();
        Elements o = out.elements();
        int rows = m.rows();
        int cols = m.cols();
        for (int i = 0; i < rows; i++) {
            double factor = c.get(i);
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                o.set(base + j, in.get(base + j) * factor);
            }
        }
    }

    @Override
    protected void doColumnSums(CpuTensor m, double beta, CpuTensor out) {
        if (out.dtype() == DType.FLOAT32) {
            float32.columnSums(m, (float) beta, out);
            return;
        }
        Elements in = m.elements();
        Elements o = out.elements();
        int rows = m.rows();
        int cols = m.cols();
        if (columnSumScratch.length < cols) {
            columnSumScratch = new double[cols];
        }
        double[] sums = columnSumScratch;
        // beta == 0 ignores the old contents, as in BLAS, so NaN in out does not propagate.
        double b = o.round(beta);
        for (int j = 0; j < cols; j++) {
            sums[j] = b == 0 ? 0 : b * o.get(j);
        }
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                sums[j] += in.get(base + j);
            }
        }
        for (int j = 0; j < cols; j++) {
            o.set(j, sums[j]);
        }
    }

    @Override
    protected double doSumOfSquares(CpuTensor t) {
        Elements e = t.elements();
        int n = (int) t.size();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = e.get(i);
            sum += v * v;
        }
        return sum;
    }

    @Override
    protected double doMaxAbs(CpuTensor t) {
        Elements e = t.elements();
        int n = (int) t.size();
        double max = 0;
        for (int i = 0; i < n; i++) {
            double v = Math.abs(e.get(i));
            if (v != v) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        return max;
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    protected void doGatherRows(CpuTensor table, int[] indices, CpuTensor out) {
        for (int i = 0; i < indices.length; i++) {
            doCopyRows(table, indices[i], out, i, 1);
        }
    }

    @Override
    protected void doScatterAddRows(CpuTensor src, int[] indices, CpuTensor table) {
        Elements s = src.elements();
        Elements t = table.elements();
        int cols = table.cols();
        for (int i = 0; i < indices.length; i++) {
            int from = i * cols;
            int to = indices[i] * cols;
            for (int j = 0; j < cols; j++) {
                t.set(to + j, t.get(to + j) + s.get(from + j));
            }
        }
    }

    // ---------------------------------------------------------------- loss

    @Override
    protected double doSoftmaxCrossEntropy(CpuTensor logits, int[] targets, CpuTensor probabilities) {
        Elements x = logits.elements();
        Elements p = probabilities.elements();
        int cols = logits.cols();
        double loss = 0;
        for (int i = 0; i < targets.length; i++) {
            int base = i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x.get(base + j));
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x.get(base + j) - max);
            }
            double logSum = Math.log(sum);
            int target = targets[i];
            // The loss from the log-sum-exp in double, not from log of a rounded probability.
            if (target >= 0) {
                loss -= x.get(base + target) - max - logSum;
            }
            for (int j = 0; j < cols; j++) {
                p.set(base + j, Math.exp(x.get(base + j) - max - logSum));
            }
        }
        return loss;
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(CpuTensor probabilities, int[] targets, double scale,
                                                 CpuTensor dLogits) {
        Elements p = probabilities.elements();
        Elements d = dLogits.elements();
        int cols = probabilities.cols();
        double s = d.round(scale);
        for (int i = 0; i < targets.length; i++) {
            int base = i * cols;
            int target = targets[i];
            for (int j = 0; j < cols; j++) {
                d.set(base + j, target < 0 ? 0 : s * (p.get(base + j) - (j == target ? 1 : 0)));
            }
        }
    }

    // ---------------------------------------------------------------- fused steps

    @Override
    public void lstmStepForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h) {
        CpuTensor g = own("lstmStepForward", "gates", gates);
        CpuTensor cp = own("lstmStepForward", "cPrev", cPrev);
        CpuTensor cc = own("lstmStepForward", "c", c);
        CpuTensor hh = own("lstmStepForward", "h", h);
        StepShapes.lstmStepForward(g, cp, cc, hh);
        if (g.dtype() == DType.FLOAT32) {
            float32.lstmForward(g, cp, cc, hh);
        } else {
            float64.lstmForward(g.elements(), cp.elements(), cc.elements(), hh.elements(), cc.rows(), cc.cols());
        }
    }

    @Override
    public void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        String op = "lstmStepBackward";
        CpuTensor g = own(op, "gates", gates);
        CpuTensor cp = own(op, "cPrev", cPrev);
        CpuTensor cc = own(op, "c", c);
        CpuTensor dhh = own(op, "dh", dh);
        CpuTensor dcc = own(op, "dc", dc);
        CpuTensor dg = own(op, "dGates", dGates);
        StepShapes.lstmStepBackward(g, cp, cc, dhh, dcc, dg);
        if (g.dtype() == DType.FLOAT32) {
            float32.lstmBackward(g, cp, cc, dhh, dcc, dg);
        } else {
            float64.lstmBackward(g.elements(), cp.elements(), cc.elements(), dhh.elements(), dcc.elements(),
                    dg.elements(), cc.rows(), cc.cols());
        }
    }

    @Override
    public void gruStepForward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        String op = "gruStepForward";
        CpuTensor g = own(op, "gates", gates);
        CpuTensor hp = own(op, "hProj", hProj);
        CpuTensor prev = own(op, "hPrev", hPrev);
        CpuTensor hh = own(op, "h", h);
        StepShapes.gruStepForward(g, hp, prev, hh);
        if (g.dtype() == DType.FLOAT32) {
            float32.gruForward(g, hp, prev, hh);
        } else {
            float64.gruForward(g.elements(), hp.elements(), prev.elements(), hh.elements(), hh.rows(), hh.cols());
        }
    }

    @Override
    public void gruStepBackward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh, Tensor dInput,
                                Tensor dHidden) {
        String op = "gruStepBackward";
        CpuTensor g = own(op, "gates", gates);
        CpuTensor hp = own(op, "hProj", hProj);
        CpuTensor prev = own(op, "hPrev", hPrev);
        CpuTensor dhh = own(op, "dh", dh);
        CpuTensor di = own(op, "dInput", dInput);
        CpuTensor dhid = own(op, "dHidden", dHidden);
        StepShapes.gruStepBackward(g, hp, prev, dhh, di, dhid);
        if (g.dtype() == DType.FLOAT32) {
            float32.gruBackward(g, hp, prev, dhh, di, dhid);
        } else {
            float64.gruBackward(g.elements(), hp.elements(), prev.elements(), dhh.elements(), di.elements(),
                    dhid.elements(), dhh.rows(), dhh.cols());
        }
    }

    // ---------------------------------------------------------------- recurrent product

    /**
     * The steps' recurrent product of a float32 sequence with more than one batch row, on a copy of {@code W_hh}
     * transposed once per sequence ({@code [H, G*H]}): oneDNN's sgemm multiplies {@code h [B, H]} by a
     * {@code W_hh^T} stored as such up to twice as fast as by the transpose of {@code W_hh} as stored (one
     * thread, {@code [32, 1024] x [1024, 1536]} 0.92 ms against 1.89; {@code [64, 512] x [512, 768]} 0.43 against
     * 0.56; {@code [16, 128] x [128, 512]} 18.5 us against 23.5). The copy costs one pass over {@code W_hh}. A
     * batch of one (gemv) and OpenBLAS were not measured on the transposed layout, so they keep {@code W_hh} as
     * stored. Each product has its own copy (from {@link #transposedScratch}), so products made for several
     * sequences at once stay apart. Where packing {@code W_hh} into oneDNN's matmul layout was measured faster
     * still (the LSTM's large products, {@link PackedRecurrentProduct#pays}), the product packs it instead, and
     * makes the transposed copy only if a call on fewer rows comes.
     */
    @Override
    public RecurrentProduct recurrentProduct(Tensor weightHh, int rows) {
        CpuTensor w = own("recurrentProduct", "weightHh", weightHh);
        if (w.dtype() != DType.FLOAT32 || rows < 2 || blas.engine() != GemmEngine.ONEDNN) {
            return RecurrentProduct.of(this, weightHh);
        }
        return PackedRecurrentProduct.pays(rows, w.cols(), w.rows(), threads)
                ? new PackedRecurrentProduct(this, executor, w, rows, threads, () -> onTransposedCopy(w))
                : onTransposedCopy(w);
    }

    /**
     * {@code t} as this backend's tensor, checked as every operation checks its tensors (not null, not closed, not
     * another backend's), for work that runs outside the SPI's operations: the steps of a
     * {@link PackedRecurrentProduct}, which hand the tensors' native memory straight to oneDNN. A closed backend
     * is caught too, though not checked here: closing it closes its tensors.
     */
    CpuTensor checked(String op, String arg, Tensor t) {
        return own(op, arg, t);
    }

    /** The steps' products by {@code dnnl_sgemm} on a transposed copy of {@code w}, which it multiplies faster. */
    private RecurrentProduct onTransposedCopy(CpuTensor w) {
        CpuTensor transposed = transposedScratch.take(w.cols(), w.rows());
        float32.transpose(w, transposed);
        return new RecurrentProduct() {
            /** Set by the first close: the copy is back on the shelf, maybe already another product's. */
            private boolean closed;

            @Override
            public void addTo(Tensor hPrev, Tensor into) {
                if (closed) {
                    throw new IllegalStateException("recurrentProduct.addTo: the product is closed");
                }
                gemm(false, false, 1, hPrev, transposed, 1, into);
            }

            @Override
            public void close() {
                // Once only: a second give would shelve the copy twice, and two later products would share it.
                if (!closed) {
                    closed = true;
                    transposedScratch.give(transposed);
                }
            }
        };
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, double weightDecay, long step) {
        String op = "adamUpdate";
        CpuTensor p = own(op, "param", param);
        CpuTensor g = own(op, "grad", grad);
        CpuTensor mm = own(op, "m", m);
        CpuTensor vv = own(op, "v", v);
        StepShapes.same(op, "param", p, "grad", g);
        StepShapes.same(op, "param", p, "m", mm);
        StepShapes.same(op, "param", p, "v", vv);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step must be >= 1, was " + step);
        }
        double correction1 = 1 - Math.pow(beta1, step);
        double inverseSqrtCorrection2 = 1 / Math.sqrt(1 - Math.pow(beta2, step));
        if (p.dtype() == DType.FLOAT32) {
            float32.adam(p, g, mm, vv, beta1, beta2, eps, weightDecay, lr / correction1, inverseSqrtCorrection2);
        } else {
            float64.adam(p.elements(), g.elements(), mm.elements(), vv.elements(), (int) p.size(), beta1, beta2,
                    eps, weightDecay, lr / correction1, inverseSqrtCorrection2);
        }
    }

    @Override
    protected void doClose() {
        float32.close();  // closes the shared executor
    }
}
