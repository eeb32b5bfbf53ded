package dev.unroll.backend.ejml;

import dev.unroll.api.Activation;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

import java.util.Arrays;

/**
 * {@link DenseKernels} for FLOAT32 tensors. Arithmetic is done in {@code float}, one rounding per operation
 * as PyTorch does on the CPU; transcendental functions ({@code exp}, {@code tanh}, {@code sqrt}) are computed
 * in double and rounded once, which is at least as accurate. Reductions accumulate in double.
 *
 * <p>Holds scratch matrices for GEMM operands that do not start at offset 0 of their array, so an instance
 * belongs to one backend and is not thread-safe.
 */
final class Float32Kernels implements DenseKernels {
    private final GemmTuning tuning;
    private final FMatrixRMaj scratchA = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj scratchB = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj scratchC = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj scratchTransposedB = new FMatrixRMaj(1, 1);
    private double[] rowScratch = new double[0];

    Float32Kernels(GemmTuning tuning) {
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

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    static float relu(float x) {
        // Written so that NaN stays NaN, as torch.relu does.
        return x <= 0 ? 0f : x;
    }

    /** {@code dy * sigmoid'} from the output {@code y}, in ATen's order {@code dy * (1 - y) * y}. */
    static float sigmoidGrad(float y, float dy) {
        return dy * (1f - y) * y;
    }

    /** {@code dy * tanh'} from the output {@code y}, in ATen's order {@code dy * (1 - y * y)}. */
    static float tanhGrad(float y, float dy) {
        return dy * (1f - y * y);
    }

    /** {@code dy * relu'} from the output {@code y}: the gradient passes where the unit was active. */
    static float reluGrad(float y, float dy) {
        return y > 0 ? dy : 0f;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public void upload(float[] src, EjmlTensor dst) {
        System.arraycopy(src, 0, dst.floats(), dst.offset(), src.length);
    }

    @Override
    public void upload(double[] src, EjmlTensor dst) {
        float[] d = dst.floats();
        int o = dst.offset();
        for (int i = 0; i < src.length; i++) {
            d[o + i] = (float) src[i];
        }
    }

    @Override
    public void download(EjmlTensor src, float[] dst) {
        System.arraycopy(src.floats(), src.offset(), dst, 0, dst.length);
    }

    @Override
    public void download(EjmlTensor src, double[] dst) {
        float[] s = src.floats();
        int o = src.offset();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = s[o + i];
        }
    }

    @Override
    public void fill(EjmlTensor t, double value) {
        Arrays.fill(t.floats(), t.offset(), t.offset() + (int) t.size(), (float) value);
    }

    @Override
    public void copyRows(EjmlTensor src, int srcRow, EjmlTensor dst, int dstRow, int count) {
        int cols = src.cols();
        // Rows are contiguous, so this is one block; System.arraycopy copies overlapping blocks correctly.
        System.arraycopy(src.floats(), src.offset() + srcRow * cols, dst.floats(), dst.offset() + dstRow * cols,
                count * cols);
    }

    @Override
    public void copyColumns(EjmlTensor src, int srcCol, EjmlTensor dst, int dstCol, int count) {
        float[] s = src.floats();
        int sBase = src.offset();
        if (src.overlaps(dst)) {
            // A row copied early could overwrite source elements of a later row: copy from a snapshot.
            s = Arrays.copyOfRange(s, sBase, sBase + (int) src.size());
            sBase = 0;
        }
        float[] d = dst.floats();
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
        float fAlpha = (float) alpha;
        float fBeta = (float) beta;
        if (fAlpha == 0f) {
            // BLAS semantics: with alpha == 0, a and b are not read (their NaNs do not reach c).
            scaleOutput(fBeta, c);
            return;
        }
        FMatrixRMaj ma = operand(a, scratchA);
        FMatrixRMaj mb = operand(b, scratchB);
        boolean direct = c.offset() == 0;
        FMatrixRMaj mc;
        if (direct) {
            mc = c.floatMatrix();
        } else {
            mc = scratchC;
            mc.reshape(c.rows(), c.cols(), false);
            if (fBeta != 0f) {
                System.arraycopy(c.floats(), c.offset(), mc.data, 0, (int) c.size());
            }
        }
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        boolean concurrent = tuning.concurrent(m, n, k);
        if (transB && m >= GemmTuning.TRANSPOSE_B_MIN_ROWS) {
            // EJML's a * b^T is a dot product per element, which the JIT does not vectorize; its a * b streams
            // rows of b and is about twice as fast. Transposing b costs n*k, paid back from a few rows of a.
            FMatrixRMaj transposed = scratchTransposedB;
            transposed.reshape(mb.numCols, mb.numRows, false);
            if (concurrent) {
                CommonOps_MT_FDRM.transpose(mb, transposed);
            } else {
                CommonOps_FDRM.transpose(mb, transposed);
            }
            mb = transposed;
            transB = false;
        }
        if (fBeta == 0f) {
            // EJML's mult overwrites c without reading it, so NaN in c does not propagate.
            multiply(concurrent, transA, transB, fAlpha, ma, mb, mc);
        } else {
            if (fBeta != 1f) {
                CommonOps_FDRM.scale(fBeta, mc);
            }
            multiplyAdd(concurrent, transA, transB, fAlpha, ma, mb, mc);
        }
        if (!direct) {
            System.arraycopy(mc.data, 0, c.floats(), c.offset(), (int) c.size());
        }
    }

    /** The tensor as an EJML matrix: wrapped in place at offset 0, else copied into {@code scratch}. */
    private static FMatrixRMaj operand(EjmlTensor t, FMatrixRMaj scratch) {
        if (t.offset() == 0) {
            return t.floatMatrix();
        }
        scratch.reshape(t.rows(), t.cols(), false);
        System.arraycopy(t.floats(), t.offset(), scratch.data, 0, (int) t.size());
        return scratch;
    }

    private static void scaleOutput(float beta, EjmlTensor c) {
        float[] d = c.floats();
        int end = c.offset() + (int) c.size();
        if (beta == 0f) {
            Arrays.fill(d, c.offset(), end, 0f);
        } else {
            for (int i = c.offset(); i < end; i++) {
                d[i] = beta * d[i];
            }
        }
    }

    private static void multiply(boolean concurrent, boolean transA, boolean transB, float alpha, FMatrixRMaj a,
                                 FMatrixRMaj b, FMatrixRMaj c) {
        if (concurrent) {
            if (transA && transB) {
                CommonOps_MT_FDRM.multTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_MT_FDRM.multTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_MT_FDRM.multTransB(alpha, a, b, c);
            } else {
                CommonOps_MT_FDRM.mult(alpha, a, b, c);
            }
        } else {
            if (transA && transB) {
                CommonOps_FDRM.multTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_FDRM.multTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_FDRM.multTransB(alpha, a, b, c);
            } else {
                CommonOps_FDRM.mult(alpha, a, b, c);
            }
        }
    }

    private static void multiplyAdd(boolean concurrent, boolean transA, boolean transB, float alpha,
                                    FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (concurrent) {
            if (transA && transB) {
                CommonOps_MT_FDRM.multAddTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_MT_FDRM.multAddTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_MT_FDRM.multAddTransB(alpha, a, b, c);
            } else {
                CommonOps_MT_FDRM.multAdd(alpha, a, b, c);
            }
        } else {
            if (transA && transB) {
                CommonOps_FDRM.multAddTransAB(alpha, a, b, c);
            } else if (transA) {
                CommonOps_FDRM.multAddTransA(alpha, a, b, c);
            } else if (transB) {
                CommonOps_FDRM.multAddTransB(alpha, a, b, c);
            } else {
                CommonOps_FDRM.multAdd(alpha, a, b, c);
            }
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void add(EjmlTensor a, EjmlTensor b, EjmlTensor out) {
        float[] x = a.floats();
        float[] y = b.floats();
        float[] z = out.floats();
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
        float[] x = a.floats();
        float[] y = b.floats();
        float[] z = out.floats();
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
        float[] x = a.floats();
        float[] y = b.floats();
        float[] z = out.floats();
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
        float[] x = a.floats();
        float[] y = b.floats();
        float[] z = out.floats();
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
        float s = (float) alpha;
        float[] xs = x.floats();
        float[] z = out.floats();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = s * xs[xo + i];
        }
    }

    @Override
    public void addScalar(EjmlTensor x, double value, EjmlTensor out) {
        float s = (float) value;
        float[] xs = x.floats();
        float[] z = out.floats();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            z[zo + i] = xs[xo + i] + s;
        }
    }

    @Override
    public void axpy(double alpha, EjmlTensor x, EjmlTensor y) {
        float s = (float) alpha;
        float[] xs = x.floats();
        float[] ys = y.floats();
        int xo = x.offset();
        int yo = y.offset();
        int n = (int) y.size();
        for (int i = 0; i < n; i++) {
            ys[yo + i] = ys[yo + i] + s * xs[xo + i];
        }
    }

    @Override
    public void sqrt(EjmlTensor x, EjmlTensor out) {
        float[] xs = x.floats();
        float[] z = out.floats();
        int xo = x.offset();
        int zo = out.offset();
        int n = (int) out.size();
        for (int i = 0; i < n; i++) {
            // The double square root of a float, rounded to float, is the correctly rounded float root.
            z[zo + i] = (float) Math.sqrt(xs[xo + i]);
        }
    }

    @Override
    public void clamp(EjmlTensor x, double lo, double hi, EjmlTensor out) {
        float low = (float) lo;
        float high = (float) hi;
        float[] xs = x.floats();
        float[] z = out.floats();
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
        float[] xs = x.floats();
        float[] z = out.floats();
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
        float[] ys = y.floats();
        float[] g = dy.floats();
        float[] z = dx.floats();
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
        float[] ms = m.floats();
        float[] rs = row.floats();
        float[] z = out.floats();
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
        float[] ms = m.floats();
        float[] cs = column.floats();
        float[] z = out.floats();
        int mo = m.offset();
        int co = column.offset();
        int zo = out.offset();
        int rows = m.rows();
        int cols = m.cols();
        for (int i = 0; i < rows; i++) {
            float factor = cs[co + i];
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
        float[] ms = m.floats();
        int mo = m.offset();
        // Row by row keeps the reads sequential; the double accumulators keep long sums exact to float.
        for (int i = 0; i < rows; i++) {
            int base = mo + i * cols;
            for (int j = 0; j < cols; j++) {
                acc[j] += ms[base + j];
            }
        }
        float[] z = out.floats();
        int zo = out.offset();
        for (int j = 0; j < cols; j++) {
            // beta == 0 overwrites, as in gemm: stale NaNs in out do not survive.
            z[zo + j] = (float) (beta == 0 ? acc[j] : beta * z[zo + j] + acc[j]);
        }
    }

    @Override
    public double sumOfSquares(EjmlTensor t) {
        float[] xs = t.floats();
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
        float[] xs = t.floats();
        int end = t.offset() + (int) t.size();
        float max = 0f;
        for (int i = t.offset(); i < end; i++) {
            float v = Math.abs(xs[i]);
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
            System.arraycopy(table.floats(), table.offset() + indices[i] * cols, out.floats(),
                    out.offset() + i * cols, cols);
        }
    }

    @Override
    public void scatterAddRows(EjmlTensor src, int[] indices, EjmlTensor table) {
        int cols = table.cols();
        float[] s = src.floats();
        float[] t = table.floats();
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
        float[] x = logits.floats();
        float[] p = probabilities.floats();
        int cols = logits.cols();
        double[] exps = rowScratch(cols);
        double loss = 0;
        for (int i = 0; i < targets.length; i++) {
            int xo = logits.offset() + i * cols;
            int po = probabilities.offset() + i * cols;
            // Subtracting the row max keeps exp() from overflowing; the shifted logits are exact in double. Math.max makes a NaN
            // logit poison the whole row, as it should.
            float max = x[xo];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, x[xo + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp((double) x[xo + j] - max);
                exps[j] = e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                p[po + j] = (float) (exps[j] / sum);
            }
            if (targets[i] >= 0) {
                // -log softmax(x)_t = log(sum) - (x_t - max), without going through the rounded p_t.
                loss += Math.log(sum) - ((double) x[xo + targets[i]] - max);
            }
        }
        return loss;
    }

    @Override
    public void softmaxCrossEntropyBackward(EjmlTensor probabilities, int[] targets, double scale,
                                            EjmlTensor dLogits) {
        float s = (float) scale;
        float[] p = probabilities.floats();
        float[] d = dLogits.floats();
        int cols = probabilities.cols();
        for (int i = 0; i < targets.length; i++) {
            int po = probabilities.offset() + i * cols;
            int dOff = dLogits.offset() + i * cols;
            if (targets[i] < 0) {
                Arrays.fill(d, dOff, dOff + cols, 0f);
                continue;
            }
            for (int j = 0; j < cols; j++) {
                float target = j == targets[i] ? 1f : 0f;
                d[dOff + j] = s * (p[po + j] - target);
            }
        }
    }

    // ---------------------------------------------------------------- fused steps

    @Override
    public void lstmStepForward(EjmlTensor gates, EjmlTensor cPrev, EjmlTensor c, EjmlTensor h) {
        int batch = c.rows();
        int hidden = c.cols();
        float[] gs = gates.floats();
        float[] cps = cPrev.floats();
        float[] cs = c.floats();
        float[] hs = h.floats();
        for (int b = 0; b < batch; b++) {
            int gi = gates.offset() + b * 4 * hidden;
            int gf = gi + hidden;
            int gg = gf + hidden;
            int go = gg + hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = sigmoid(gs[gi + j]);
                float f = sigmoid(gs[gf + j]);
                float g = tanh(gs[gg + j]);
                float o = sigmoid(gs[go + j]);
                float cv = f * cps[cPrev.offset() + s + j] + i * g;
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
        float[] gs = gates.floats();
        float[] cps = cPrev.floats();
        float[] cs = c.floats();
        float[] dhs = dh.floats();
        float[] dcs = dc.floats();
        float[] dgs = dGates.floats();
        for (int b = 0; b < batch; b++) {
            int gi = gates.offset() + b * 4 * hidden;
            int di = dGates.offset() + b * 4 * hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = gs[gi + j];
                float f = gs[gi + hidden + j];
                float g = gs[gi + 2 * hidden + j];
                float o = gs[gi + 3 * hidden + j];
                float tanhC = tanh(cs[c.offset() + s + j]);
                float dhv = dhs[dh.offset() + s + j];
                // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
                float dcTotal = tanhGrad(tanhC, dhv * o) + dcs[dc.offset() + s + j];
                float dO = sigmoidGrad(o, dhv * tanhC);
                float dI = sigmoidGrad(i, dcTotal * g);
                float dF = sigmoidGrad(f, dcTotal * cps[cPrev.offset() + s + j]);
                float dG = tanhGrad(g, dcTotal * i);
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
        float[] gs = gates.floats();
        float[] ps = hProj.floats();
        float[] hps = hPrev.floats();
        float[] hs = h.floats();
        for (int b = 0; b < batch; b++) {
            int gr = gates.offset() + b * 3 * hidden;
            int pr = hProj.offset() + b * 3 * hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = sigmoid(gs[gr + j] + ps[pr + j]);
                float z = sigmoid(gs[gr + hidden + j] + ps[pr + hidden + j]);
                float n = tanh(gs[gr + 2 * hidden + j] + r * ps[pr + 2 * hidden + j]);
                // h = (1 - z) * n + z * hPrev, computed as n + z * (hPrev - n) like the composite.
                float hv = n + z * (hps[hPrev.offset() + s + j] - n);
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
        float[] gs = gates.floats();
        float[] ps = hProj.floats();
        float[] hps = hPrev.floats();
        float[] dhs = dh.floats();
        float[] dis = dInput.floats();
        float[] dhid = dHidden.floats();
        for (int b = 0; b < batch; b++) {
            int gr = gates.offset() + b * 3 * hidden;
            int pn = hProj.offset() + b * 3 * hidden + 2 * hidden;
            int ir = dInput.offset() + b * 3 * hidden;
            int hr = dHidden.offset() + b * 3 * hidden;
            int s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = gs[gr + j];
                float z = gs[gr + hidden + j];
                float n = gs[gr + 2 * hidden + j];
                float hn = ps[pn + j];
                float dhv = dhs[dh.offset() + s + j];
                float dhz = dhv * z;
                float dN = tanhGrad(n, dhv - dhz);
                float dZ = sigmoidGrad(z, dhv * (hps[hPrev.offset() + s + j] - n));
                float dR = sigmoidGrad(r, dN * hn);
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
        // Each scalar is rounded to float exactly where the composite passes it to a primitive.
        boolean decay = weightDecay != 0;
        float wd = (float) weightDecay;
        float b1 = (float) beta1;
        float oneMinusB1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float oneMinusB2 = (float) (1 - beta2);
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        float invSqrtCorrection2 = (float) (1 / Math.sqrt(correction2));
        float epsilon = (float) eps;
        float stepSize = (float) (-lr / correction1);
        float[] ps = param.floats();
        float[] gs = grad.floats();
        float[] ms = m.floats();
        float[] vs = v.floats();
        int n = (int) param.size();
        for (int i = 0; i < n; i++) {
            int pi = param.offset() + i;
            int mi = m.offset() + i;
            int vi = v.offset() + i;
            float p = ps[pi];
            float g = gs[grad.offset() + i];
            if (decay) {
                g = g + wd * p;
            }
            float mv = b1 * ms[mi];
            mv = mv + oneMinusB1 * g;
            float vv = b2 * vs[vi];
            vv = vv + oneMinusB2 * (g * g);
            float denominator = invSqrtCorrection2 * (float) Math.sqrt(vv);
            denominator = denominator + epsilon;
            ms[mi] = mv;
            vs[vi] = vv;
            ps[pi] = p + stepSize * (mv / denominator);
        }
    }
}
