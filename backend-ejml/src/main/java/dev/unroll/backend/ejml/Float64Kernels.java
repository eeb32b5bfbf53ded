package dev.unroll.backend.ejml;

import dev.unroll.api.Activation;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;

import java.util.Arrays;

/**
 * {@link DenseKernels} for FLOAT64 tensors, the oracle dtype of gradient checks: everything is computed in
 * {@code double}, in the same operation order as {@link Float32Kernels}.
 *
 * <p>Holds scratch matrices for GEMM operands that do not start at offset 0 of their array, so an instance
 * belongs to one backend and is not thread-safe.
 */
final class Float64Kernels implements DenseKernels {
    private final GemmTuning tuning;
    private final DMatrixRMaj scratchA = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj scratchB = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj scratchC = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj scratchTransposedB = new DMatrixRMaj(1, 1);
    private double[] rowScratch = new double[0];

    Float64Kernels(GemmTuning tuning) {
        this.tuning = tuning;
    }

    /** A reusable double buffer of at least {@code length} elements, for one row's intermediate values. */
    private double[] rowScratch(int length) {
        if (rowScratch.length < length) {
            rowScratch = new double[length];
        }
        return rowScratch;
    }

    // ---------------------------------------------------------------- scalar functions shared by all paths

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static double tanh(double x) {
        return Math.tanh(x);
    }

    static double relu(double x) {
        // Written so that NaN stays NaN, as torch.relu does.
        return x <= 0 ? 0.0 : x;
    }

    /** {@code dy * sigmoid'} from the output {@code y}, in ATen's order {@code dy * (1 - y) * y}. */
    static double sigmoidGrad(double y, double dy) {
        return dy * (1.0 - y) * y;
    }

    /** {@code dy * tanh'} from the output {@code y}, in ATen's order {@code dy * (1 - y * y)}. */
    static double tanhGrad(double y, double dy) {
        return dy * (1.0 - y * y);
    }

    /** {@code dy * relu'} from the output {@code y}: the gradient passes where the unit was active. */
    static double reluGrad(double y, double dy) {
        return y > 0 ? dy : 0.0;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public void upload(float[] src, EjmlTensor dst) {
        double[] d = dst.doubles();
        int o = dst.offset();
        for (int i = 0; i < src.length; i++) {
            d[o + i] = src[i];
        }
    }

    @Override
    public void upload(double[] src, EjmlTensor dst) {
        System.arraycopy(src, 0, dst.doubles(), dst.offset(), src.length);
    }

    @Override
    public void download(EjmlTensor src, float[] dst) {
        double[] s = src.doubles();
        int o = src.offset();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) s[o + i];
        }
    }

    @Override
    public void download(EjmlTensor src, double[] dst) {
        System.arraycopy(src.doubles(), src.offset(), dst, 0, dst.length);
    }

    @Override
    public void fill(EjmlTensor t, double value) {
        Arrays.fill(t.doubles(), t.offset(), t.offset() + (int) t.size(), value);
    }

    @Override
    public void copyRows(EjmlTensor src, int srcRow, EjmlTensor dst, int dstRow, int count) {
        int cols = src.cols();
        // Rows are contiguous, so this is one block; System.arraycopy copies overlapping blocks correctly.
        System.arraycopy(src.doubles(), src.offset() + srcRow * cols, dst.doubles(), dst.offset() + dstRow * cols,
                count * cols);
    }

    @Override
    public void copyColumns(EjmlTensor src, int srcCol, EjmlTensor dst, int dstCol, int count) {
        double[] s = src.doubles();
        int sBase = src.offset();
        if (src.overlaps(dst)) {
            // A row copied early could overwrite source elements of a later row: copy from a snapshot.
            s = Arrays.copyOfRange(s, sBase, sBase + (int) src.size());
            sBase = 0;
        }
        double[] d = dst.doubles();
        int sc = src.cols();
        int dc = dst.cols();
        int rows = src.rows();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(s, sBase + r * sc + srcCol, d, dst.offset() + r * dc + dstCol, count);
        }
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, EjmlTensor a, EjmlTensor b, double beta,
                     EjmlTensor c) {
        if (alpha == 0.0) {
            // BLAS semantics: with alpha == 0, a and b are not read (their NaNs do not reach c).
            scaleOutput(beta, c);
            return;
        }
        DMatrixRMaj ma = operand(a, scratchA);
        DMatrixRMaj mb = operand(b, scratchB);
        boolean direct = c.offset() == 0;
        DMatrixRMaj mc;
        if (direct) {
            mc = c.doubleMatrix();
        } else {
            mc = scratchC;
            mc.reshape(c.rows(), c.cols(), false);
            if (beta != 0.0) {
                System.arraycopy(c.doubles(), c.offset(), mc.data, 0, (int) c.size());
            }
        }
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        boolean concurrent = tuning.concurrent(m, n, k);
        if (transB && m >= GemmTuning.TRANSPOSE_B_MIN_ROWS) {
            // EJML's a * b^T is a dot product per element, which the JIT does not vectorize; its a * b streams
            // rows of b and is about twice as fast. Transposing b costs n*k, paid back from a few rows of a.
            DMatrixRMaj transposed = scratchTransposedB;
            transposed.reshape(mb.numCols, mb.numRows, false);
            if (concurrent) {
                CommonOps_MT_DDRM.transpose(mb, transposed);
            } else {
                CommonOps_DDRM.transpose(mb, transposed);
            }
            mb = transposed;
            transB = false;
        }
        if (beta == 0.0) {
            // EJML's mult overwrites c without reading it, so NaN in c does not propagate.
            multiply(concurrent, transA, transB, alpha, ma, mb, mc);
        } else {
            if (beta != 1.0) {
                CommonOps_DDRM.scale(beta, mc);
            }
            multiplyAdd(concurrent, transA, transB, alpha, ma, mb, mc);
        }
        if (!direct) {
            System.arraycopy(mc.data, 0, c.doubles(), c.offset(), (int) c.size());
        }
    }

    /** The tensor as an EJML matrix: wrapped in place at offset 0, else copied into {@code scratch}. */
    private static DMatrixRMaj operand(EjmlTensor t, DMatrixRMaj scratch) {
        if (t.offset() == 0) {
            return t.doubleMatrix();
        }
        scratch.reshape(t.rows(), t.cols(), false);
        System.arraycopy(t.doubles(), t.offset(), scratch.data, 0, (int) t.size());
        return scratch;
    }

    private static void scaleOutput(double beta, EjmlTensor c) {
        double[] d = c.doubles();
        int end = c.offset() + (int) c.size();
        if (beta == 0.0) {
            Arrays.fill(d, c.offset(), end, 0.0);
        } else {
            for (int i = c.offset(); i < end; i++) {
                d[i] = beta * d[i];
            }
        }
    }

    private static void multiply(boolean concurrent, boolean transA, boolean transB, double alpha, DMatrixRMaj a,
                                 DMatrixRMaj b, DMatrixRMaj c) {
        if (concurrent) {
            if (transA && transB) {
                CommonOps_MT_DDRM.multTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_MT_DDRM.multTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_MT_DDRM.multTransB(alpha, a, b, c);
            } else {
                CommonOps_MT_DDRM.mult(alpha, a, b, c);
            }
        } else {
            if (transA && transB) {
                CommonOps_DDRM.multTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_DDRM.multTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_DDRM.multTransB(alpha, a, b, c);
            } else {
                CommonOps_DDRM.mult(alpha, a, b, c);
            }
        }
    }

    private static void multiplyAdd(boolean concurrent, boolean transA, boolean transB, double alpha,
                                    DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (concurrent) {
            if (transA && transB) {
                CommonOps_MT_DDRM.multAddTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_MT_DDRM.multAddTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_MT_DDRM.multAddTransB(alpha, a, b, c);
            } else {
                CommonOps_MT_DDRM.multAdd(alpha, a, b, c);
            }
        } else {
            if (transA && transB) {
                CommonOps_DDRM.multAddTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_DDRM.multAddTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_DDRM.multAddTransB(alpha, a, b, c);
            } else {
                CommonOps_DDRM.multAdd(alpha, a, b, c);
            }
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void add(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        double[] x = a.doubles();
        double[] y = b.doubles();
        double[] z = out.doubles();
        int xo = a.offset();
        int yo = b.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = x[xo + i] + y[yo + i];
        }
    }

    @Override
    public void sub(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        double[] x = a.doubles();
        double[] y = b.doubles();
        double[] z = out.doubles();
        int xo = a.offset();
        int yo = b.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = x[xo + i] - y[yo + i];
        }
    }

    @Override
    public void mul(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        double[] x = a.doubles();
        double[] y = b.doubles();
        double[] z = out.doubles();
        int xo = a.offset();
        int yo = b.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = x[xo + i] * y[yo + i];
        }
    }

    @Override
    public void div(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        double[] x = a.doubles();
        double[] y = b.doubles();
        double[] z = out.doubles();
        int xo = a.offset();
        int yo = b.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = x[xo + i] / y[yo + i];
        }
    }

    @Override
    public void scale(double alpha, EjmlTensor x, EjmlTensor out) {
        double s = alpha;
        double[] xs = x.doubles();
        double[] z = out.doubles();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = s * xs[xo + i];
        }
    }

    @Override
    public void addScalar(EjmlTensor x, double value, EjmlTensor out) {
        double s = value;
        double[] xs = x.doubles();
        double[] z = out.doubles();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = xs[xo + i] + s;
        }
    }

    @Override
    public void axpy(double alpha, EjmlTensor x, EjmlTensor y) {
        double s = alpha;
        double[] xs = x.doubles();
        double[] ys = y.doubles();
        int xo = x.offset();
        int yo = y.offset();
        int n = (int) y.size();
        for (int i = 0; i < n; i++) {
            ys[yo + i] = ys[yo + i] + s * xs[xo + i];
        }
    }

    @Override
    public void sqrt(EjmlTensor x, EjmlTensor out) {
        double[] xs = x.doubles();
        double[] z = out.doubles();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = Math.sqrt(xs[xo + i]);
        }
    }

    @Override
    public void clamp(EjmlTensor x, double lo, double hi, EjmlTensor out) {
        double low = lo;
        double high = hi;
        double[] xs = x.doubles();
        double[] z = out.doubles();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            // Math.max/min return NaN for a NaN argument, so NaN stays NaN.
            z[zo + i] = Math.min(Math.max(xs[xo + i], low), high);
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activate(Activation f, EjmlTensor x, EjmlTensor out) {
        double[] xs = x.doubles();
        double[] z = out.doubles();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        switch (f) {
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = tanh(xs[xo + i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = sigmoid(xs[xo + i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = relu(xs[xo + i]);
                }
            }
        }
    }

    @Override
    public void activateBackward(Activation f, EjmlTensor y, EjmlTensor dy, EjmlTensor dx) {
        double[] ys = y.doubles();
        double[] g = dy.doubles();
        double[] z = dx.doubles();
        int yo = y.offset();
        int go = dy.offset();
        int zo = dx.offset();
        int n = (int) dx.size();
        switch (f) {
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = tanhGrad(ys[yo + i], g[go + i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = sigmoidGrad(ys[yo + i], g[go + i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = reluGrad(ys[yo + i], g[go + i]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- broadcasting and reductions

    @Override
    public void addRowVector(EjmlTensor m, EjmlTensor row, EjmlTensor out) {
        double[] ms = m.doubles();
        double[] rs = row.doubles();
        double[] z = out.doubles();
        int mo = m.offset();
        int ro = row.offset();
        int zo = out.offset();
        int rows = m.rows();
        int cols = m.cols();
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                z[zo + base + j] = ms[mo + base + j] + rs[ro + j];
            }
        }
    }

    @Override
    public void mulColumnVector(EjmlTensor m, EjmlTensor column, EjmlTensor out) {
        double[] ms = m.doubles();
        double[] cs = column.doubles();
        double[] z = out.doubles();
        int mo = m.offset();
        int co = column.offset();
        int zo = out.offset();
        int rows = m.rows();
        int cols = m.cols();
        for (int i = 0; i < rows; i++) {
            double factor = cs[co + i];
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                z[zo + base + j] = ms[mo + base + j] * factor;
            }
        }
    }

    @Override
    public void columnSums(EjmlTensor m, double beta, EjmlTensor out) {
        int rows = m.rows();
        int cols = m.cols();
        double[] acc = rowScratch(cols);
        Arrays.fill(acc, 0, cols, 0.0);
        double[] ms = m.doubles();
        int mo = m.offset();
        // Row by row keeps the reads sequential.
        for (int i = 0; i < rows; i++) {
            int base = mo + i * cols;
            for (int j = 0; j < cols; j++) {
                acc[j] += ms[base + j];
            }
        }
        double[] z = out.doubles();
        int zo = out.offset();
        for (int j = 0; j < cols; j++) {
            // beta == 0 overwrites, as in gemm: stale NaNs in out do not survive.
            z[zo + j] = beta == 0 ? acc[j] : beta * z[zo + j] + acc[j];
        }
    }

    @Override
    public double sumOfSquares(EjmlTensor t) {
        double[] xs = t.doubles();
        int end = t.offset() + (int) t.size();
        double sum = 0;
        for (int i = t.offset(); i < end; i++) {
            double v = xs[i];
            sum += v * v;
        }
        return sum;
    }

    @Override
    public double maxAbs(EjmlTensor t) {
        double[] xs = t.doubles();
        int end = t.offset() + (int) t.size();
        double max = 0.0;
        for (int i = t.offset(); i < end; i++) {
            double v = Math.abs(xs[i]);
            if (v != v) {
                return Double.NaN;
            }
            if (v > max) {
                max = v;
            }
        }
        return max;
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public void gatherRows(EjmlTensor table, int[] indices, EjmlTensor out) {
        int cols = table.cols();
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(table.doubles(), table.offset() + indices[i] * cols, out.doubles(),
                    out.offset() + i * cols, cols);
        }
    }

    @Override
    public void scatterAddRows(EjmlTensor src, int[] indices, EjmlTensor table) {
        int cols = table.cols();
        double[] s = src.doubles();
        double[] t = table.doubles();
        for (int i = 0; i < indices.length; i++) {
            int so = src.offset() + i * cols;
            int to = table.offset() + indices[i] * cols;
            for (int j = 0; j < cols; j++) {
                t[to + j] = t[to + j] + s[so + j];
            }
        }
    }

    // ---------------------------------------------------------------- loss

    @Override
    public double softmaxCrossEntropy(EjmlTensor logits, int[] targets, EjmlTensor probabilities) {
        double[] x = logits.doubles();
        double[] p = probabilities.doubles();
        int cols = logits.cols();
        double[] exps = rowScratch(cols);
        double loss = 0;
        for (int i = 0; i < targets.length; i++) {
            int xo = logits.offset() + i * cols;
            int po = probabilities.offset() + i * cols;
            // Subtracting the row max keeps exp() from overflowing; exp(0) = 1 bounds the sum below. Math.max makes a NaN
            // logit poison the whole row, as it should.
            double max = x[xo];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, x[xo + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(x[xo + j] - max);
                exps[j] = e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                p[po + j] = exps[j] / sum;
            }
            if (targets[i] >= 0) {
                // -log softmax(x)_t = log(sum) - (x_t - max), without going through the rounded p_t.
                loss += Math.log(sum) - (x[xo + targets[i]] - max);
            }
        }
        return loss;
    }

    @Override
    public void softmaxCrossEntropyBackward(EjmlTensor probabilities, int[] targets, double scale,
                                            EjmlTensor dLogits) {
        double s = scale;
        double[] p = probabilities.doubles();
        double[] d = dLogits.doubles();
        int cols = probabilities.cols();
        for (int i = 0; i < targets.length; i++) {
            int po = probabilities.offset() + i * cols;
            int dOff = dLogits.offset() + i * cols;
            if (targets[i] < 0) {
                Arrays.fill(d, dOff, dOff + cols, 0.0);
                continue;
            }
            for (int j = 0; j < cols; j++) {
                double target = j == targets[i] ? 1.0 : 0.0;
                d[dOff + j] = s * (p[po + j] - target);
            }
        }
    }

    // ---------------------------------------------------------------- fused steps

    @Override
    public void lstmStepForward(EjmlTensor gates, EjmlTensor cPrev, EjmlTensor c, EjmlTensor h) {
        int batch = c.rows();
        int hidden = c.cols();
        double[] gs = gates.doubles();
        double[] cps = cPrev.doubles();
        double[] cs = c.doubles();
        double[] hs = h.doubles();
        for (int b = 0; b < batch; b++) {
            int gi = gates.offset() + b * 4 * hidden;
            int gf = gi + hidden;
            int gg = gf + hidden;
            int go = gg + hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(gs[gi + j]);
                double f = sigmoid(gs[gf + j]);
                double g = tanh(gs[gg + j]);
                double o = sigmoid(gs[go + j]);
                double cv = f * cps[cPrev.offset() + s + j] + i * g;
                gs[gi + j] = i;
                gs[gf + j] = f;
                gs[gg + j] = g;
                gs[go + j] = o;
                cs[c.offset() + s + j] = cv;
                hs[h.offset() + s + j] = o * tanh(cv);
            }
        }
    }

    @Override
    public void lstmStepBackward(EjmlTensor gates, EjmlTensor cPrev, EjmlTensor c, EjmlTensor dh, EjmlTensor dc,
                                 EjmlTensor dGates) {
        int batch = c.rows();
        int hidden = c.cols();
        double[] gs = gates.doubles();
        double[] cps = cPrev.doubles();
        double[] cs = c.doubles();
        double[] dhs = dh.doubles();
        double[] dcs = dc.doubles();
        double[] dgs = dGates.doubles();
        for (int b = 0; b < batch; b++) {
            int gi = gates.offset() + b * 4 * hidden;
            int di = dGates.offset() + b * 4 * hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = gs[gi + j];
                double f = gs[gi + hidden + j];
                double g = gs[gi + 2 * hidden + j];
                double o = gs[gi + 3 * hidden + j];
                double tanhC = tanh(cs[c.offset() + s + j]);
                double dhv = dhs[dh.offset() + s + j];
                // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
                double dcTotal = tanhGrad(tanhC, dhv * o) + dcs[dc.offset() + s + j];
                double dO = sigmoidGrad(o, dhv * tanhC);
                double dI = sigmoidGrad(i, dcTotal * g);
                double dF = sigmoidGrad(f, dcTotal * cps[cPrev.offset() + s + j]);
                double dG = tanhGrad(g, dcTotal * i);
                dcs[dc.offset() + s + j] = dcTotal * f;
                dgs[di + j] = dI;
                dgs[di + hidden + j] = dF;
                dgs[di + 2 * hidden + j] = dG;
                dgs[di + 3 * hidden + j] = dO;
            }
        }
    }

    @Override
    public void gruStepForward(EjmlTensor gates, EjmlTensor hProj, EjmlTensor hPrev, EjmlTensor h) {
        int batch = h.rows();
        int hidden = h.cols();
        double[] gs = gates.doubles();
        double[] ps = hProj.doubles();
        double[] hps = hPrev.doubles();
        double[] hs = h.doubles();
        for (int b = 0; b < batch; b++) {
            int gr = gates.offset() + b * 3 * hidden;
            int pr = hProj.offset() + b * 3 * hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = sigmoid(gs[gr + j] + ps[pr + j]);
                double z = sigmoid(gs[gr + hidden + j] + ps[pr + hidden + j]);
                double n = tanh(gs[gr + 2 * hidden + j] + r * ps[pr + 2 * hidden + j]);
                // h = (1 - z) * n + z * hPrev, computed as n + z * (hPrev - n) like the composite.
                double hv = n + z * (hps[hPrev.offset() + s + j] - n);
                gs[gr + j] = r;
                gs[gr + hidden + j] = z;
                gs[gr + 2 * hidden + j] = n;
                hs[h.offset() + s + j] = hv;
            }
        }
    }

    @Override
    public void gruStepBackward(EjmlTensor gates, EjmlTensor hProj, EjmlTensor hPrev, EjmlTensor dh,
                                EjmlTensor dInput, EjmlTensor dHidden) {
        int batch = dh.rows();
        int hidden = dh.cols();
        double[] gs = gates.doubles();
        double[] ps = hProj.doubles();
        double[] hps = hPrev.doubles();
        double[] dhs = dh.doubles();
        double[] dis = dInput.doubles();
        double[] dhid = dHidden.doubles();
        for (int b = 0; b < batch; b++) {
            int gr = gates.offset() + b * 3 * hidden;
            int pn = hProj.offset() + b * 3 * hidden + 2 * hidden;
            int ir = dInput.offset() + b * 3 * hidden;
            int hr = dHidden.offset() + b * 3 * hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = gs[gr + j];
                double z = gs[gr + hidden + j];
                double n = gs[gr + 2 * hidden + j];
                double hn = ps[pn + j];
                double dhv = dhs[dh.offset() + s + j];
                double dhz = dhv * z;
                double dN = tanhGrad(n, dhv - dhz);
                double dZ = sigmoidGrad(z, dhv * (hps[hPrev.offset() + s + j] - n));
                double dR = sigmoidGrad(r, dN * hn);
                dis[ir + j] = dR;
                dis[ir + hidden + j] = dZ;
                dis[ir + 2 * hidden + j] = dN;
                dhid[hr + j] = dR;
                dhid[hr + hidden + j] = dZ;
                dhid[hr + 2 * hidden + j] = dN * r;
                dhs[dh.offset() + s + j] = dhz;
            }
        }
    }

    @Override
    public void adamUpdate(EjmlTensor param, EjmlTensor grad, EjmlTensor m, EjmlTensor v, double lr,
                           double beta1, double beta2, double eps, double weightDecay, long step) {
        // Same operation order as the composite, so both paths give the same bits.
        boolean decay = weightDecay != 0;
        double wd = weightDecay;
        double b1 = beta1;
        double oneMinusB1 = 1 - beta1;
        double b2 = beta2;
        double oneMinusB2 = 1 - beta2;
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        double invSqrtCorrection2 = 1 / Math.sqrt(correction2);
        double epsilon = eps;
        double stepSize = -lr / correction1;
        double[] ps = param.doubles();
        double[] gs = grad.doubles();
        double[] ms = m.doubles();
        double[] vs = v.doubles();
        int n = (int) param.size();
        for (int i = 0; i < n; i++) {
            int pi = param.offset() + i;
            int mi = m.offset() + i;
            int vi = v.offset() + i;
            double p = ps[pi];
            double g = gs[grad.offset() + i];
            if (decay) {
                g = g + wd * p;
            }
            double mv = b1 * ms[mi];
            mv = mv + oneMinusB1 * g;
            double vv = b2 * vs[vi];
            vv = vv + oneMinusB2 * (g * g);
            double denominator = invSqrtCorrection2 * Math.sqrt(vv);
            denominator = denominator + epsilon;
            ms[mi] = mv;
            vs[vi] = vv;
            ps[pi] = p + stepSize * (mv / denominator);
        }
    }
}
