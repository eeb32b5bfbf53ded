package dev.unroll.backend.cpu;

import dev.unroll.api.Activation;

import java.nio.FloatBuffer;

/**
 * The FLOAT32 element-wise kernels, including the fused LSTM and GRU steps and the Adam update, tuned for
 * speed: each copies a chunk of {@value #CHUNK} elements at a time from native memory into a per-thread heap
 * array (one bulk copy), runs plain loops over those arrays, which HotSpot's C2 compiles to SIMD code (it
 * does not vectorize loops over direct buffers), and copies the results back. Chunks are spread over the
 * threads of a {@link RangeExecutor} when a call is large enough.
 *
 * <p>Arithmetic is float32 in the same order as {@link dev.unroll.api.CompositeSteps} composes it from the
 * primitives, so the fused and composite paths differ only where the activations' approximation does (see
 * {@link Float32Math}). Every kernel loads all inputs of a chunk before it stores, so in-place calls are safe.
 */
final class Float32Kernels implements AutoCloseable {
    /** Elements per chunk: 13 arrays of it (13 KiB) stay in a 32 KiB L1 data cache. */
    static final int CHUNK = 256;
    private static final int ARRAYS_PER_THREAD = 13;
    /** The index of the scratch array the sigmoid uses as its temporary. */
    private static final int SIGMOID_TEMP = 12;
    /** Rows summed in float before the partial sums are added in double (see {@link #columnSums}). */
    private static final int SUM_BLOCK = 8;

    // Rough single-thread costs per element (2-core Zen 4, measured with CpuBackendTest-sized calls), which
    // decide whether a call is worth splitting across threads (see RangeExecutor).
    /** Load, one or two arithmetic operations, store: memory-bound. */
    private static final double STREAM_NANOS = 0.3;
    /** tanh, sigmoid or a column sum. */
    private static final double ACTIVATION_NANOS = 1.5;
    /** One unit of a fused LSTM or GRU step, forward or backward, or one Adam element. */
    private static final double STEP_UNIT_NANOS = 6;

    private final RangeExecutor executor;
    /** scratch[part][array]: heap arrays of CHUNK floats, one set per thread. */
    private final float[][][] scratch;

    Float32Kernels(RangeExecutor executor) {
        this.executor = executor;
        this.scratch = new float[executor.threads()][ARRAYS_PER_THREAD][CHUNK];
    }

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /** Chunk-wise in-place update of one operand. */
    @FunctionalInterface
    interface UnaryOp {
        void apply(float[] v, int length);
    }

    /** Chunk-wise update of the first operand from the second. */
    @FunctionalInterface
    interface BinaryOp {
        void apply(float[] x, float[] y, int length);
    }

    /** {@code out = op(in)} over {@code n} contiguous elements. */
    void unary(FloatBuffer in, int inOffset, FloatBuffer out, int outOffset, int n, double nanosPerElement,
               UnaryOp op) {
        executor.forRange(chunks(n), n * nanosPerElement, (part, from, to) -> {
            float[] v = scratch[part][0];
            for (int ch = from; ch < to; ch++) {
                int s = ch * CHUNK;
                int len = Math.min(CHUNK, n - s);
                in.get(inOffset + s, v, 0, len);
                op.apply(v, len);
                out.put(outOffset + s, v, 0, len);
            }
        });
    }

    /** {@code out = op(a, b)} over {@code n} contiguous elements, the result left by op in its first array. */
    void binary(FloatBuffer a, int aOffset, FloatBuffer b, int bOffset, FloatBuffer out, int outOffset, int n,
                BinaryOp op) {
        executor.forRange(chunks(n), n * STREAM_NANOS, (part, from, to) -> {
            float[] x = scratch[part][0];
            float[] y = scratch[part][1];
            for (int ch = from; ch < to; ch++) {
                int s = ch * CHUNK;
                int len = Math.min(CHUNK, n - s);
                a.get(aOffset + s, x, 0, len);
                b.get(bOffset + s, y, 0, len);
                op.apply(x, y, len);
                out.put(outOffset + s, x, 0, len);
            }
        });
    }

    // ---------------------------------------------------------------- primitives

    void fill(CpuTensor t, float value) {
        int n = (int) t.size();
        FloatBuffer buf = t.floats();
        int offset = t.offset();
        executor.forRange(chunks(n), n * STREAM_NANOS, (part, from, to) -> {
            float[] v = scratch[part][0];
            java.util.Arrays.fill(v, value);
            for (int ch = from; ch < to; ch++) {
                int s = ch * CHUNK;
                buf.put(offset + s, v, 0, Math.min(CHUNK, n - s));
            }
        });
    }

    void add(CpuTensor a, CpuTensor b, CpuTensor out) {
        binary(a.floats(), a.offset(), b.floats(), b.offset(), out.floats(), out.offset(), (int) out.size(),
                (x, y, len) -> {
                    for (int k = 0; k < len; k++) {
                        x[k] += y[k];
                    }
                });
    }

    void sub(CpuTensor a, CpuTensor b, CpuTensor out) {
        binary(a.floats(), a.offset(), b.floats(), b.offset(), out.floats(), out.offset(), (int) out.size(),
                (x, y, len) -> {
                    for (int k = 0; k < len; k++) {
                        x[k] -= y[k];
                    }
                });
    }

    void mul(CpuTensor a, CpuTensor b, CpuTensor out) {
        binary(a.floats(), a.offset(), b.floats(), b.offset(), out.floats(), out.offset(), (int) out.size(),
                (x, y, len) -> {
                    for (int k = 0; k < len; k++) {
                        x[k] *= y[k];
                    }
                });
    }

    void div(CpuTensor a, CpuTensor b, CpuTensor out) {
        binary(a.floats(), a.offset(), b.floats(), b.offset(), out.floats(), out.offset(), (int) out.size(),
                (x, y, len) -> {
                    for (int k = 0; k < len; k++) {
                        x[k] /= y[k];
                    }
                });
    }

    void scale(float alpha, CpuTensor x, CpuTensor out) {
        unary(x.floats(), x.offset(), out.floats(), out.offset(), (int) out.size(), STREAM_NANOS, (v, len) -> {
            for (int k = 0; k < len; k++) {
                v[k] *= alpha;
            }
        });
    }

    void addScalar(CpuTensor x, float value, CpuTensor out) {
        unary(x.floats(), x.offset(), out.floats(), out.offset(), (int) out.size(), STREAM_NANOS, (v, len) -> {
            for (int k = 0; k < len; k++) {
                v[k] += value;
            }
        });
    }

    /** {@code y = y + alpha * x}. */
    void axpy(float alpha, CpuTensor x, CpuTensor y) {
        binary(y.floats(), y.offset(), x.floats(), x.offset(), y.floats(), y.offset(), (int) y.size(),
                (u, w, len) -> {
                    for (int k = 0; k < len; k++) {
                        u[k] += alpha * w[k];
                    }
                });
    }

    void activate(Activation f, CpuTensor x, CpuTensor out) {
        int n = (int) out.size();
        switch (f) {
            case TANH -> unary(x.floats(), x.offset(), out.floats(), out.offset(), n, ACTIVATION_NANOS,
                    Float32Math::tanh);
            case SIGMOID -> sigmoid(x, out);
            case RELU -> unary(x.floats(), x.offset(), out.floats(), out.offset(), n, STREAM_NANOS, (v, len) -> {
                for (int k = 0; k < len; k++) {
                    // max(NaN, 0) is NaN: NaN stays NaN, as in the FLOAT64 kernel.
                    v[k] = Math.max(v[k], 0f);
                }
            });
        }
    }

    private void sigmoid(CpuTensor x, CpuTensor out) {
        int n = (int) out.size();
        FloatBuffer in = x.floats();
        FloatBuffer o = out.floats();
        executor.forRange(chunks(n), n * ACTIVATION_NANOS, (part, from, to) -> {
            float[] v = scratch[part][0];
            float[] temp = scratch[part][SIGMOID_TEMP];
            for (int ch = from; ch < to; ch++) {
                int s = ch * CHUNK;
                int len = Math.min(CHUNK, n - s);
                in.get(x.offset() + s, v, 0, len);
                Float32Math.sigmoid(v, temp, len);
                o.put(out.offset() + s, v, 0, len);
            }
        });
    }

    /** {@code dx = dy * f'(y)}. */
    void activateBackward(Activation f, CpuTensor y, CpuTensor dy, CpuTensor dx) {
        BinaryOp op = switch (f) {
            case TANH -> (d, v, len) -> {
                for (int k = 0; k < len; k++) {
                    d[k] *= 1 - v[k] * v[k];
                }
            };
            case SIGMOID -> (d, v, len) -> {
                for (int k = 0; k < len; k++) {
                    d[k] *= v[k] * (1 - v[k]);
                }
            };
            case RELU -> (d, v, len) -> {
                for (int k = 0; k < len; k++) {
                    d[k] *= v[k] > 0 ? 1f : 0f;
                }
            };
        };
        binary(dy.floats(), dy.offset(), y.floats(), y.offset(), dx.floats(), dx.offset(), (int) dx.size(), op);
    }

    /** {@code out[i, j] = m[i, j] + row[j]}. */
    void addRowVector(CpuTensor m, CpuTensor row, CpuTensor out) {
        int rows = m.rows();
        int cols = m.cols();
        int perRow = chunks(cols);
        FloatBuffer in = m.floats();
        FloatBuffer r = row.floats();
        FloatBuffer o = out.floats();
        executor.forRange(rows * perRow, m.size() * STREAM_NANOS, (part, from, to) -> {
            float[] x = scratch[part][0];
            float[] y = scratch[part][1];
            for (int t = from; t < to; t++) {
                int i = t / perRow;
                int j = (t - i * perRow) * CHUNK;
                int len = Math.min(CHUNK, cols - j);
                in.get(m.offset() + i * cols + j, x, 0, len);
                r.get(row.offset() + j, y, 0, len);
                for (int k = 0; k < len; k++) {
                    x[k] += y[k];
                }
                o.put(out.offset() + i * cols + j, x, 0, len);
            }
        });
    }

    /**
     * {@code out[j] = beta * out[j] + sum_i m[i, j]}; beta == 0 ignores the old contents. Blocks of
     * {@value #SUM_BLOCK} rows are summed in float (a vectorized loop), the block sums in double, so the
     * rounding error grows with the block size, not with the row count.
     */
    void columnSums(CpuTensor m, float beta, CpuTensor out) {
        int rows = m.rows();
        int cols = m.cols();
        FloatBuffer in = m.floats();
        FloatBuffer o = out.floats();
        executor.forRange(chunks(cols), m.size() * ACTIVATION_NANOS, (part, from, to) -> {
            float[] x = scratch[part][0];
            float[] block = scratch[part][1];
            double[] sums = new double[CHUNK];
            for (int ch = from; ch < to; ch++) {
                int j = ch * CHUNK;
                int len = Math.min(CHUNK, cols - j);
                java.util.Arrays.fill(sums, 0);
                for (int first = 0; first < rows; first += SUM_BLOCK) {
                    java.util.Arrays.fill(block, 0, len, 0f);
                    int last = Math.min(rows, first + SUM_BLOCK);
                    for (int i = first; i < last; i++) {
                        in.get(m.offset() + i * cols + j, x, 0, len);
                        for (int k = 0; k < len; k++) {
                            block[k] += x[k];
                        }
                    }
                    for (int k = 0; k < len; k++) {
                        sums[k] += block[k];
                    }
                }
                for (int k = 0; k < len; k++) {
                    double old = beta == 0 ? 0 : (double) beta * o.get(out.offset() + j + k);
                    x[k] = (float) (old + sums[k]);
                }
                o.put(out.offset() + j, x, 0, len);
            }
        });
    }

    // ---------------------------------------------------------------- fused steps

    /** See {@link dev.unroll.api.Backend#lstmStepForward}: gates {@code [B, 4H]}, states {@code [B, H]}. */
    void lstmForward(CpuTensor gates, CpuTensor cPrev, CpuTensor c, CpuTensor h) {
        int batch = c.rows();
        int hidden = c.cols();
        int perRow = chunks(hidden);
        FloatBuffer gb = gates.floats();
        FloatBuffer cpb = cPrev.floats();
        FloatBuffer cb = c.floats();
        FloatBuffer hb = h.floats();
        executor.forRange(batch * perRow, (double) batch * hidden * STEP_UNIT_NANOS, (part, from, to) -> {
            float[][] s = scratch[part];
            float[] i = s[0];
            float[] f = s[1];
            float[] g = s[2];
            float[] o = s[3];
            float[] cp = s[4];
            float[] cn = s[5];
            float[] hn = s[6];
            for (int t = from; t < to; t++) {
                int b = t / perRow;
                int j = (t - b * perRow) * CHUNK;
                int len = Math.min(CHUNK, hidden - j);
                int gate = gates.offset() + b * 4 * hidden + j;
                int state = b * hidden + j;
                gb.get(gate, i, 0, len);
                gb.get(gate + hidden, f, 0, len);
                gb.get(gate + 2 * hidden, g, 0, len);
                gb.get(gate + 3 * hidden, o, 0, len);
                cpb.get(cPrev.offset() + state, cp, 0, len);
                Float32Math.sigmoid(i, s[SIGMOID_TEMP], len);
                Float32Math.sigmoid(f, s[SIGMOID_TEMP], len);
                Float32Math.tanh(g, len);
                Float32Math.sigmoid(o, s[SIGMOID_TEMP], len);
                for (int k = 0; k < len; k++) {
                    cn[k] = f[k] * cp[k] + i[k] * g[k];
                    hn[k] = cn[k];
                }
                Float32Math.tanh(hn, len);
                for (int k = 0; k < len; k++) {
                    hn[k] *= o[k];
                }
                gb.put(gate, i, 0, len);
                gb.put(gate + hidden, f, 0, len);
                gb.put(gate + 2 * hidden, g, 0, len);
                gb.put(gate + 3 * hidden, o, 0, len);
                cb.put(c.offset() + state, cn, 0, len);
                hb.put(h.offset() + state, hn, 0, len);
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#lstmStepBackward}. */
    void lstmBackward(CpuTensor gates, CpuTensor cPrev, CpuTensor c, CpuTensor dh, CpuTensor dc, CpuTensor dGates) {
        int batch = c.rows();
        int hidden = c.cols();
        int perRow = chunks(hidden);
        FloatBuffer gb = gates.floats();
        FloatBuffer dgb = dGates.floats();
        executor.forRange(batch * perRow, (double) batch * hidden * STEP_UNIT_NANOS, (part, from, to) -> {
            float[][] s = scratch[part];
            float[] i = s[0];
            float[] f = s[1];
            float[] g = s[2];
            float[] o = s[3];
            float[] cp = s[4];
            float[] tanhC = s[5];
            float[] dhv = s[6];
            float[] dcv = s[7];
            float[] dI = s[8];
            float[] dF = s[9];
            float[] dG = s[10];
            float[] dO = s[11];
            for (int t = from; t < to; t++) {
                int b = t / perRow;
                int j = (t - b * perRow) * CHUNK;
                int len = Math.min(CHUNK, hidden - j);
                int gate = gates.offset() + b * 4 * hidden + j;
                int dGate = dGates.offset() + b * 4 * hidden + j;
                int state = b * hidden + j;
                gb.get(gate, i, 0, len);
                gb.get(gate + hidden, f, 0, len);
                gb.get(gate + 2 * hidden, g, 0, len);
                gb.get(gate + 3 * hidden, o, 0, len);
                cPrev.floats().get(cPrev.offset() + state, cp, 0, len);
                c.floats().get(c.offset() + state, tanhC, 0, len);
                dh.floats().get(dh.offset() + state, dhv, 0, len);
                dc.floats().get(dc.offset() + state, dcv, 0, len);
                Float32Math.tanh(tanhC, len);
                for (int k = 0; k < len; k++) {
                    // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
                    float dcTotal = dhv[k] * o[k] * (1 - tanhC[k] * tanhC[k]) + dcv[k];
                    dO[k] = dhv[k] * tanhC[k] * (o[k] * (1 - o[k]));
                    dI[k] = dcTotal * g[k] * (i[k] * (1 - i[k]));
                    dF[k] = dcTotal * cp[k] * (f[k] * (1 - f[k]));
                    dG[k] = dcTotal * i[k] * (1 - g[k] * g[k]);
                    dcv[k] = dcTotal * f[k];
                }
                dgb.put(dGate, dI, 0, len);
                dgb.put(dGate + hidden, dF, 0, len);
                dgb.put(dGate + 2 * hidden, dG, 0, len);
                dgb.put(dGate + 3 * hidden, dO, 0, len);
                dc.floats().put(dc.offset() + state, dcv, 0, len);
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#gruStepForward}: gates, hProj {@code [B, 3H]}, states {@code [B, H]}. */
    void gruForward(CpuTensor gates, CpuTensor hProj, CpuTensor hPrev, CpuTensor h) {
        int batch = h.rows();
        int hidden = h.cols();
        int perRow = chunks(hidden);
        FloatBuffer gb = gates.floats();
        FloatBuffer pb = hProj.floats();
        executor.forRange(batch * perRow, (double) batch * hidden * STEP_UNIT_NANOS, (part, from, to) -> {
            float[][] s = scratch[part];
            float[] r = s[0];
            float[] z = s[1];
            float[] n = s[2];
            float[] hr = s[3];
            float[] hz = s[4];
            float[] hn = s[5];
            float[] hp = s[6];
            for (int t = from; t < to; t++) {
                int b = t / perRow;
                int j = (t - b * perRow) * CHUNK;
                int len = Math.min(CHUNK, hidden - j);
                int gate = gates.offset() + b * 3 * hidden + j;
                int proj = hProj.offset() + b * 3 * hidden + j;
                int state = b * hidden + j;
                gb.get(gate, r, 0, len);
                gb.get(gate + hidden, z, 0, len);
                gb.get(gate + 2 * hidden, n, 0, len);
                pb.get(proj, hr, 0, len);
                pb.get(proj + hidden, hz, 0, len);
                pb.get(proj + 2 * hidden, hn, 0, len);
                hPrev.floats().get(hPrev.offset() + state, hp, 0, len);
                for (int k = 0; k < len; k++) {
                    r[k] += hr[k];
                    z[k] += hz[k];
                }
                Float32Math.sigmoid(r, s[SIGMOID_TEMP], len);
                Float32Math.sigmoid(z, s[SIGMOID_TEMP], len);
                for (int k = 0; k < len; k++) {
                    n[k] += r[k] * hn[k];
                }
                Float32Math.tanh(n, len);
                for (int k = 0; k < len; k++) {
                    // h = (1 - z) * n + z * hPrev, written as n + z * (hPrev - n) like the composite.
                    hp[k] = n[k] + z[k] * (hp[k] - n[k]);
                }
                gb.put(gate, r, 0, len);
                gb.put(gate + hidden, z, 0, len);
                gb.put(gate + 2 * hidden, n, 0, len);
                h.floats().put(h.offset() + state, hp, 0, len);
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#gruStepBackward}. */
    void gruBackward(CpuTensor gates, CpuTensor hProj, CpuTensor hPrev, CpuTensor dh, CpuTensor dInput,
                     CpuTensor dHidden) {
        int batch = dh.rows();
        int hidden = dh.cols();
        int perRow = chunks(hidden);
        FloatBuffer gb = gates.floats();
        executor.forRange(batch * perRow, (double) batch * hidden * STEP_UNIT_NANOS, (part, from, to) -> {
            float[][] s = scratch[part];
            float[] r = s[0];
            float[] z = s[1];
            float[] n = s[2];
            float[] hn = s[3];
            float[] hp = s[4];
            float[] dhv = s[5];
            float[] dR = s[6];
            float[] dZ = s[7];
            float[] dN = s[8];
            float[] dNr = s[9];
            for (int t = from; t < to; t++) {
                int b = t / perRow;
                int j = (t - b * perRow) * CHUNK;
                int len = Math.min(CHUNK, hidden - j);
                int gate = gates.offset() + b * 3 * hidden + j;
                int state = b * hidden + j;
                int row3 = b * 3 * hidden + j;
                gb.get(gate, r, 0, len);
                gb.get(gate + hidden, z, 0, len);
                gb.get(gate + 2 * hidden, n, 0, len);
                hProj.floats().get(hProj.offset() + row3 + 2 * hidden, hn, 0, len);
                hPrev.floats().get(hPrev.offset() + state, hp, 0, len);
                dh.floats().get(dh.offset() + state, dhv, 0, len);
                for (int k = 0; k < len; k++) {
                    float dhz = dhv[k] * z[k];
                    dN[k] = (dhv[k] - dhz) * (1 - n[k] * n[k]);
                    dZ[k] = dhv[k] * (hp[k] - n[k]) * (z[k] * (1 - z[k]));
                    dR[k] = dN[k] * hn[k] * (r[k] * (1 - r[k]));
                    dNr[k] = dN[k] * r[k];
                    dhv[k] = dhz;
                }
                FloatBuffer di = dInput.floats();
                FloatBuffer dhid = dHidden.floats();
                int inBase = dInput.offset() + row3;
                int hidBase = dHidden.offset() + row3;
                di.put(inBase, dR, 0, len);
                di.put(inBase + hidden, dZ, 0, len);
                di.put(inBase + 2 * hidden, dN, 0, len);
                dhid.put(hidBase, dR, 0, len);
                dhid.put(hidBase + hidden, dZ, 0, len);
                dhid.put(hidBase + 2 * hidden, dNr, 0, len);
                dh.floats().put(dh.offset() + state, dhv, 0, len);
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#adamUpdate}: the update of {@code n} elements, in float. */
    void adam(CpuTensor param, CpuTensor grad, CpuTensor m, CpuTensor v, double beta1, double beta2, double eps,
              double weightDecay, double stepSize, double inverseSqrtCorrection2) {
        // Scalars rounded once to float, as the composite's primitives round theirs.
        float b1 = (float) beta1;
        float oneMinusB1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float oneMinusB2 = (float) (1 - beta2);
        float epsilon = (float) eps;
        float decay = (float) weightDecay;
        float lrCorrected = (float) stepSize;
        float invSqrtC2 = (float) inverseSqrtCorrection2;
        int n = (int) param.size();
        executor.forRange(chunks(n), n * STEP_UNIT_NANOS, (part, from, to) -> {
            float[][] s = scratch[part];
            float[] p = s[0];
            float[] g = s[1];
            float[] mv = s[2];
            float[] vv = s[3];
            for (int ch = from; ch < to; ch++) {
                int e = ch * CHUNK;
                int len = Math.min(CHUNK, n - e);
                param.floats().get(param.offset() + e, p, 0, len);
                grad.floats().get(grad.offset() + e, g, 0, len);
                m.floats().get(m.offset() + e, mv, 0, len);
                v.floats().get(v.offset() + e, vv, 0, len);
                for (int k = 0; k < len; k++) {
                    float gk = g[k] + decay * p[k];
                    mv[k] = b1 * mv[k] + oneMinusB1 * gk;
                    vv[k] = b2 * vv[k] + oneMinusB2 * (gk * gk);
                    p[k] -= lrCorrected * (mv[k] / ((float) Math.sqrt(vv[k]) * invSqrtC2 + epsilon));
                }
                param.floats().put(param.offset() + e, p, 0, len);
                m.floats().put(m.offset() + e, mv, 0, len);
                v.floats().put(v.offset() + e, vv, 0, len);
            }
        });
    }

    @Override
    public void close() {
        executor.close();
    }
}
