package dev.unroll.backend.cpu;

import dev.unroll.api.Activation;

import java.nio.FloatBuffer;

/**
 * The FLOAT32 element-wise kernels, including the fused LSTM and GRU steps and the Adam update, tuned for
 * speed: each copies a chunk of {@value #CHUNK} elements at a time from native memory into a per-thread heap
 * array (one bulk copy), runs plain loops over those arrays, which HotSpot's C2 compiles to SIMD code (it
 * does not vectorize loops over direct buffers), and copies the results back. Chunks are spread over the
 * threads of a {@link RangeExecutor} when a call is large enough. Each loop computes one output array: C2
 * (JDK 17) vectorizes such loops but left a six-output loop scalar, 4x slower.
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

    // Rough single-thread costs per element on the 2-core Zen 4 (JMH StepPrimitivesBenchmark and CPU-time
    // probes), which decide whether a call is worth splitting across threads (see RangeExecutor).
    /** Load, one or two arithmetic operations, store: memory-bound. */
    private static final double STREAM_NANOS = 0.3;
    /** tanh or sigmoid. */
    private static final double ACTIVATION_NANOS = 1.5;
    /** One unit of a fused LSTM or GRU step, forward or backward, or one Adam element. */
    private static final double STEP_UNIT_NANOS = 8;

    private final RangeExecutor executor;
    /** The tanh of the fused kernels and the TANH activation. */
    private final Float32Tanh tanh;
    /** scratch[part][array]: heap arrays of CHUNK floats, one set per thread. */
    private final float[][][] scratch;

    Float32Kernels(RangeExecutor executor, Float32Tanh tanh) {
        this.executor = executor;
        this.tanh = tanh;
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
                    tanh::apply);
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

    /** The side of the square tiles {@link #transpose} moves through a thread's scratch array. */
    private static final int TILE = 16;

    /**
     * {@code out = in^T} ({@code in} {@code [r, c]}, {@code out} {@code [c, r]}), in tiles of {@value #TILE} x
     * {@value #TILE}: {@value #TILE} rows of a tile are read, then written out as its columns.
     */
    void transpose(CpuTensor in, CpuTensor out) {
        int rows = in.rows();
        int cols = in.cols();
        FloatBuffer src = in.floats();
        FloatBuffer dst = out.floats();
        int rowTiles = (rows + TILE - 1) / TILE;
        executor.forRange(rowTiles, 2.0 * rows * cols * STREAM_NANOS, (part, from, to) -> {
            float[] tile = scratch[part][0];
            float[] column = scratch[part][1];
            for (int rt = from; rt < to; rt++) {
                int r0 = rt * TILE;
                int rn = Math.min(TILE, rows - r0);
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    int cn = Math.min(TILE, cols - c0);
                    for (int i = 0; i < rn; i++) {
                        src.get(in.offset() + (r0 + i) * cols + c0, tile, i * TILE, cn);
                    }
                    for (int j = 0; j < cn; j++) {
                        for (int i = 0; i < rn; i++) {
                            column[i] = tile[i * TILE + j];
                        }
                        dst.put(out.offset() + (c0 + j) * rows + r0, column, 0, rn);
                    }
                }
            }
        });
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
     * {@code out[j] = beta * out[j] + sum_i m[i, j]}; beta == 0 ignores the old contents. Each thread streams
     * through its own range of whole rows (sequential memory), summing blocks of {@value #SUM_BLOCK} rows in
     * float (a vectorized loop) and the block sums in double, so the rounding error grows with the block size,
     * not with the row count; the threads' double sums are added at the end.
     */
    void columnSums(CpuTensor m, float beta, CpuTensor out) {
        int rows = m.rows();
        int cols = m.cols();
        FloatBuffer in = m.floats();
        double[][] partSums = new double[executor.threads()][];
        executor.forRange(rows, m.size() * STREAM_NANOS, (part, from, to) -> {
            float[] row = new float[cols];
            float[] block = new float[cols];
            double[] sums = new double[cols];
            for (int first = from; first < to; first += SUM_BLOCK) {
                java.util.Arrays.fill(block, 0f);
                int last = Math.min(to, first + SUM_BLOCK);
                for (int i = first; i < last; i++) {
                    in.get(m.offset() + i * cols, row, 0, cols);
                    for (int k = 0; k < cols; k++) {
                        block[k] += row[k];
                    }
                }
                for (int k = 0; k < cols; k++) {
                    sums[k] += block[k];
                }
            }
            partSums[part] = sums;
        });
        FloatBuffer o = out.floats();
        for (int j = 0; j < cols; j++) {
            double total = beta == 0 ? 0 : (double) beta * o.get(out.offset() + j);
            for (double[] sums : partSums) {
                if (sums != null) {
                    total += sums[j];
                }
            }
            o.put(out.offset() + j, (float) total);
        }
    }

    // ---------------------------------------------------------------- fused steps

    /**
     * Copies a tile's pieces of a {@code [B, stride]} tensor into {@code dst}: for each of its rows, the
     * {@code length} elements from column {@code column} (a gate block's offset plus the tile's unit).
     */
    private static void load(CpuTensor t, int stride, int column, StepTiles tiles, int tile, float[] dst) {
        int first = tiles.firstRow(tile);
        int rows = tiles.rowCount(tile);
        int length = tiles.length(tile);
        FloatBuffer buf = t.floats();
        for (int r = 0; r < rows; r++) {
            buf.get(t.offset() + (first + r) * stride + column, dst, r * length, length);
        }
    }

    /** The inverse of {@link #load}. */
    private static void store(float[] src, CpuTensor t, int stride, int column, StepTiles tiles, int tile) {
        int first = tiles.firstRow(tile);
        int rows = tiles.rowCount(tile);
        int length = tiles.length(tile);
        FloatBuffer buf = t.floats();
        for (int r = 0; r < rows; r++) {
            buf.put(t.offset() + (first + r) * stride + column, src, r * length, length);
        }
    }

    /** A step kernel's work on one tile: its thread's scratch arrays, the tile, its first unit, its element count. */
    @FunctionalInterface
    private interface TileStep {
        void run(float[][] scratch, int tile, int unit, int length);
    }

    /** Runs {@code step} on every tile of a recurrent step, split across threads when the step is large enough. */
    private void forEachTile(StepTiles tiles, TileStep step) {
        executor.forRange(tiles.count(), tiles.units() * STEP_UNIT_NANOS, (part, from, to) -> {
            float[][] s = scratch[part];
            for (int t = from; t < to; t++) {
                step.run(s, t, tiles.column(t), tiles.rowCount(t) * tiles.length(t));
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#lstmStepForward}: gates {@code [B, 4H]}, states {@code [B, H]}. */
    void lstmForward(CpuTensor gates, CpuTensor cPrev, CpuTensor c, CpuTensor h) {
        int batch = c.rows();
        int hidden = c.cols();
        int gateStride = 4 * hidden;
        StepTiles tiles = new StepTiles(batch, hidden, CHUNK);
        forEachTile(tiles, (s, t, j, len) -> {
            float[] i = s[0];
            float[] f = s[1];
            float[] g = s[2];
            float[] o = s[3];
            float[] cp = s[4];
            float[] cn = s[5];
            float[] hn = s[6];
            load(gates, gateStride, j, tiles, t, i);
            load(gates, gateStride, hidden + j, tiles, t, f);
            load(gates, gateStride, 2 * hidden + j, tiles, t, g);
            load(gates, gateStride, 3 * hidden + j, tiles, t, o);
            load(cPrev, hidden, j, tiles, t, cp);
            Float32Math.sigmoid(i, s[SIGMOID_TEMP], len);
            Float32Math.sigmoid(f, s[SIGMOID_TEMP], len);
            tanh.apply(g, len);
            Float32Math.sigmoid(o, s[SIGMOID_TEMP], len);
            for (int k = 0; k < len; k++) {
                cn[k] = f[k] * cp[k] + i[k] * g[k];
            }
            System.arraycopy(cn, 0, hn, 0, len);
            tanh.apply(hn, len);
            for (int k = 0; k < len; k++) {
                hn[k] *= o[k];
            }
            store(i, gates, gateStride, j, tiles, t);
            store(f, gates, gateStride, hidden + j, tiles, t);
            store(g, gates, gateStride, 2 * hidden + j, tiles, t);
            store(o, gates, gateStride, 3 * hidden + j, tiles, t);
            store(cn, c, hidden, j, tiles, t);
            store(hn, h, hidden, j, tiles, t);
        });
    }

    /** See {@link dev.unroll.api.Backend#lstmStepBackward}. */
    void lstmBackward(CpuTensor gates, CpuTensor cPrev, CpuTensor c, CpuTensor dh, CpuTensor dc, CpuTensor dGates) {
        int batch = c.rows();
        int hidden = c.cols();
        int gateStride = 4 * hidden;
        StepTiles tiles = new StepTiles(batch, hidden, CHUNK);
        forEachTile(tiles, (s, t, j, len) -> {
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
            load(gates, gateStride, j, tiles, t, i);
            load(gates, gateStride, hidden + j, tiles, t, f);
            load(gates, gateStride, 2 * hidden + j, tiles, t, g);
            load(gates, gateStride, 3 * hidden + j, tiles, t, o);
            load(cPrev, hidden, j, tiles, t, cp);
            load(c, hidden, j, tiles, t, tanhC);
            load(dh, hidden, j, tiles, t, dhv);
            load(dc, hidden, j, tiles, t, dcv);
            tanh.apply(tanhC, len);
            // One small loop per output: C2 vectorizes these, but not one loop with six outputs.
            for (int k = 0; k < len; k++) {
                dO[k] = dhv[k] * tanhC[k] * (o[k] * (1 - o[k]));
            }
            for (int k = 0; k < len; k++) {
                // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
                dcv[k] = dhv[k] * o[k] * (1 - tanhC[k] * tanhC[k]) + dcv[k];
            }
            for (int k = 0; k < len; k++) {
                dI[k] = dcv[k] * g[k] * (i[k] * (1 - i[k]));
            }
            for (int k = 0; k < len; k++) {
                dF[k] = dcv[k] * cp[k] * (f[k] * (1 - f[k]));
            }
            for (int k = 0; k < len; k++) {
                dG[k] = dcv[k] * i[k] * (1 - g[k] * g[k]);
            }
            for (int k = 0; k < len; k++) {
                dcv[k] *= f[k];
            }
            store(dI, dGates, gateStride, j, tiles, t);
            store(dF, dGates, gateStride, hidden + j, tiles, t);
            store(dG, dGates, gateStride, 2 * hidden + j, tiles, t);
            store(dO, dGates, gateStride, 3 * hidden + j, tiles, t);
            store(dcv, dc, hidden, j, tiles, t);
        });
    }

    /** See {@link dev.unroll.api.Backend#gruStepForward}: gates, hProj {@code [B, 3H]}, states {@code [B, H]}. */
    void gruForward(CpuTensor gates, CpuTensor hProj, CpuTensor hPrev, CpuTensor h) {
        int batch = h.rows();
        int hidden = h.cols();
        int gateStride = 3 * hidden;
        StepTiles tiles = new StepTiles(batch, hidden, CHUNK);
        forEachTile(tiles, (s, t, j, len) -> {
            float[] r = s[0];
            float[] z = s[1];
            float[] n = s[2];
            float[] hr = s[3];
            float[] hz = s[4];
            float[] hn = s[5];
            float[] hp = s[6];
            load(gates, gateStride, j, tiles, t, r);
            load(gates, gateStride, hidden + j, tiles, t, z);
            load(gates, gateStride, 2 * hidden + j, tiles, t, n);
            load(hProj, gateStride, j, tiles, t, hr);
            load(hProj, gateStride, hidden + j, tiles, t, hz);
            load(hProj, gateStride, 2 * hidden + j, tiles, t, hn);
            load(hPrev, hidden, j, tiles, t, hp);
            for (int k = 0; k < len; k++) {
                r[k] += hr[k];
            }
            for (int k = 0; k < len; k++) {
                z[k] += hz[k];
            }
            Float32Math.sigmoid(r, s[SIGMOID_TEMP], len);
            Float32Math.sigmoid(z, s[SIGMOID_TEMP], len);
            for (int k = 0; k < len; k++) {
                n[k] += r[k] * hn[k];
            }
            tanh.apply(n, len);
            for (int k = 0; k < len; k++) {
                // h = (1 - z) * n + z * hPrev, written as n + z * (hPrev - n) like the composite.
                hp[k] = n[k] + z[k] * (hp[k] - n[k]);
            }
            store(r, gates, gateStride, j, tiles, t);
            store(z, gates, gateStride, hidden + j, tiles, t);
            store(n, gates, gateStride, 2 * hidden + j, tiles, t);
            store(hp, h, hidden, j, tiles, t);
        });
    }

    /** See {@link dev.unroll.api.Backend#gruStepBackward}. */
    void gruBackward(CpuTensor gates, CpuTensor hProj, CpuTensor hPrev, CpuTensor dh, CpuTensor dInput,
                     CpuTensor dHidden) {
        int batch = dh.rows();
        int hidden = dh.cols();
        int gateStride = 3 * hidden;
        StepTiles tiles = new StepTiles(batch, hidden, CHUNK);
        forEachTile(tiles, (s, t, j, len) -> {
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
            load(gates, gateStride, j, tiles, t, r);
            load(gates, gateStride, hidden + j, tiles, t, z);
            load(gates, gateStride, 2 * hidden + j, tiles, t, n);
            load(hProj, gateStride, 2 * hidden + j, tiles, t, hn);
            load(hPrev, hidden, j, tiles, t, hp);
            load(dh, hidden, j, tiles, t, dhv);
            // One small loop per output: C2 vectorizes these, but not one loop with five outputs.
            for (int k = 0; k < len; k++) {
                dN[k] = (dhv[k] - dhv[k] * z[k]) * (1 - n[k] * n[k]);
            }
            for (int k = 0; k < len; k++) {
                dZ[k] = dhv[k] * (hp[k] - n[k]) * (z[k] * (1 - z[k]));
            }
            for (int k = 0; k < len; k++) {
                dR[k] = dN[k] * hn[k] * (r[k] * (1 - r[k]));
            }
            for (int k = 0; k < len; k++) {
                dNr[k] = dN[k] * r[k];
            }
            for (int k = 0; k < len; k++) {
                dhv[k] *= z[k];
            }
            store(dR, dInput, gateStride, j, tiles, t);
            store(dZ, dInput, gateStride, hidden + j, tiles, t);
            store(dN, dInput, gateStride, 2 * hidden + j, tiles, t);
            store(dR, dHidden, gateStride, j, tiles, t);
            store(dZ, dHidden, gateStride, hidden + j, tiles, t);
            store(dNr, dHidden, gateStride, 2 * hidden + j, tiles, t);
            store(dhv, dh, hidden, j, tiles, t);
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
                // One small loop per output: C2 vectorizes these, but not one loop with three outputs.
                for (int k = 0; k < len; k++) {
                    g[k] += decay * p[k];
                }
                for (int k = 0; k < len; k++) {
                    mv[k] = b1 * mv[k] + oneMinusB1 * g[k];
                }
                for (int k = 0; k < len; k++) {
                    vv[k] = b2 * vv[k] + oneMinusB2 * (g[k] * g[k]);
                }
                for (int k = 0; k < len; k++) {
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
