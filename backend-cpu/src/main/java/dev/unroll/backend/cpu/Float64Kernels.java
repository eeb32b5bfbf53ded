package dev.unroll.backend.cpu;

import dev.unroll.api.Activation;

/**
 * The FLOAT64 element-wise kernels that run in every time step: activations and their backward, and the
 * fused LSTM and GRU steps, each a single pass over memory computing what
 * {@link dev.unroll.api.CompositeSteps} computes from the primitives; plus the fused Adam update. They
 * compute in double with {@link Nonlinearities} (a few double ulps), which is what FLOAT64, the oracle dtype
 * of gradient checks, is for; FLOAT32 tensors take the faster {@link Float32Kernels}.
 *
 * <p>The step kernels work on "units", the {@code B * H} pairs (batch row b, hidden unit j) numbered
 * {@code b * H + j}; a range of units is split across threads by {@link RangeExecutor}. Gate {@code k} of
 * unit (b, j) lives at {@code b * (G * H) + k * H + j} of a {@code [B, G*H]} gates tensor. Each kernel
 * reads all the inputs of a unit before it writes, so in-place calls are safe.
 */
final class Float64Kernels implements AutoCloseable {
    /** Rough single-thread cost of one double activation (Math.exp is about 15 ns), see RangeExecutor. */
    private static final double DOUBLE_ELEMENT_NANOS = 20;
    /** Rough single-thread cost of one unit of a fused step in double. */
    private static final double DOUBLE_UNIT_NANOS = 60;

    private final RangeExecutor executor;

    Float64Kernels(RangeExecutor executor) {
        this.executor = executor;
    }

    // ---------------------------------------------------------------- activations

    /** {@code out = f(x)} over a {@code [rows, cols]} tensor. */
    void activate(Activation f, Elements x, Elements out, int rows, int cols) {
        switch (f) {
            case TANH -> executor.forRange(rows * cols, rows * cols * DOUBLE_ELEMENT_NANOS, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    out.set(i, Nonlinearities.tanh(x.get(i)));
                }
            });
            case SIGMOID -> executor.forRange(rows * cols, rows * cols * DOUBLE_ELEMENT_NANOS, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    out.set(i, Nonlinearities.sigmoid(x.get(i)));
                }
            });
            case RELU -> executor.forRange(rows * cols, rows * cols * DOUBLE_ELEMENT_NANOS, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    double v = x.get(i);
                    // v > 0 is false for NaN: keep NaN rather than turning it into 0.
                    out.set(i, v > 0 || v != v ? v : 0.0);
                }
            });
        }
    }

    /** {@code dx = dy * f'(x)} with {@code f'} computed from the output {@code y}. */
    void activateBackward(Activation f, Elements y, Elements dy, Elements dx, int rows, int cols) {
        switch (f) {
            case TANH -> executor.forRange(rows * cols, rows * cols * DOUBLE_ELEMENT_NANOS, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    double v = y.get(i);
                    dx.set(i, dy.get(i) * (1 - v * v));
                }
            });
            case SIGMOID -> executor.forRange(rows * cols, rows * cols * DOUBLE_ELEMENT_NANOS, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    double v = y.get(i);
                    dx.set(i, dy.get(i) * (v * (1 - v)));
                }
            });
            case RELU -> executor.forRange(rows * cols, rows * cols * DOUBLE_ELEMENT_NANOS, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    dx.set(i, dy.get(i) * (y.get(i) > 0 ? 1.0 : 0.0));
                }
            });
        }
    }

    // ---------------------------------------------------------------- LSTM

    /** See {@link dev.unroll.api.Backend#lstmStepForward}; gates {@code [B, 4H]}, states {@code [B, H]}. */
    void lstmForward(Elements gates, Elements cPrev, Elements c, Elements h, int batch, int hidden) {
        executor.forRange(batch * hidden, (double) batch * hidden * DOUBLE_UNIT_NANOS, (part, from, to) -> {
            for (int u = from; u < to; u++) {
                int b = u / hidden;
                int gi = u + 3 * b * hidden;  // b * 4H + j
                double i = gates.round(Nonlinearities.sigmoid(gates.get(gi)));
                double f = gates.round(Nonlinearities.sigmoid(gates.get(gi + hidden)));
                double g = gates.round(Nonlinearities.tanh(gates.get(gi + 2 * hidden)));
                double o = gates.round(Nonlinearities.sigmoid(gates.get(gi + 3 * hidden)));
                gates.set(gi, i);
                gates.set(gi + hidden, f);
                gates.set(gi + 2 * hidden, g);
                gates.set(gi + 3 * hidden, o);
                double cell = c.round(f * cPrev.get(u) + i * g);
                c.set(u, cell);
                h.set(u, o * h.round(Nonlinearities.tanh(cell)));
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#lstmStepBackward}. */
    void lstmBackward(Elements gates, Elements cPrev, Elements c, Elements dh, Elements dc, Elements dGates,
                      int batch, int hidden) {
        executor.forRange(batch * hidden, (double) batch * hidden * DOUBLE_UNIT_NANOS, (part, from, to) -> {
            for (int u = from; u < to; u++) {
                int b = u / hidden;
                int gi = u + 3 * b * hidden;
                double i = gates.get(gi);
                double f = gates.get(gi + hidden);
                double g = gates.get(gi + 2 * hidden);
                double o = gates.get(gi + 3 * hidden);
                double dhu = dh.get(u);
                double tanhC = c.round(Nonlinearities.tanh(c.get(u)));
                // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
                double dcTotal = dc.round(dhu * o * (1 - tanhC * tanhC) + dc.get(u));
                double cp = cPrev.get(u);
                dGates.set(gi, dcTotal * g * (i * (1 - i)));
                dGates.set(gi + hidden, dcTotal * cp * (f * (1 - f)));
                dGates.set(gi + 2 * hidden, dcTotal * i * (1 - g * g));
                dGates.set(gi + 3 * hidden, dhu * tanhC * (o * (1 - o)));
                dc.set(u, dcTotal * f);
            }
        });
    }

    // ---------------------------------------------------------------- GRU

    /** See {@link dev.unroll.api.Backend#gruStepForward}; gates and hProj {@code [B, 3H]}, states {@code [B, H]}. */
    void gruForward(Elements gates, Elements hProj, Elements hPrev, Elements h, int batch, int hidden) {
        executor.forRange(batch * hidden, (double) batch * hidden * DOUBLE_UNIT_NANOS, (part, from, to) -> {
            for (int u = from; u < to; u++) {
                int b = u / hidden;
                int gr = u + 2 * b * hidden;  // b * 3H + j
                double r = gates.round(Nonlinearities.sigmoid(gates.round(gates.get(gr) + hProj.get(gr))));
                double z = gates.round(Nonlinearities.sigmoid(
                        gates.round(gates.get(gr + hidden) + hProj.get(gr + hidden))));
                double n = gates.round(Nonlinearities.tanh(
                        gates.round(gates.get(gr + 2 * hidden) + r * hProj.get(gr + 2 * hidden))));
                gates.set(gr, r);
                gates.set(gr + hidden, z);
                gates.set(gr + 2 * hidden, n);
                // h = (1 - z) * n + z * hPrev, written as n + z * (hPrev - n) like the composite.
                h.set(u, n + z * (hPrev.get(u) - n));
            }
        });
    }

    /** See {@link dev.unroll.api.Backend#gruStepBackward}. */
    void gruBackward(Elements gates, Elements hProj, Elements hPrev, Elements dh, Elements dInput, Elements dHidden,
                     int batch, int hidden) {
        executor.forRange(batch * hidden, (double) batch * hidden * DOUBLE_UNIT_NANOS, (part, from, to) -> {
            for (int u = from; u < to; u++) {
                int b = u / hidden;
                int gr = u + 2 * b * hidden;
                double r = gates.get(gr);
                double z = gates.get(gr + hidden);
                double n = gates.get(gr + 2 * hidden);
                double hn = hProj.get(gr + 2 * hidden);
                double dhu = dh.get(u);
                double dN = dh.round(dhu * (1 - z)) * (1 - n * n);
                double dZ = dhu * (hPrev.get(u) - n) * (z * (1 - z));
                double dNRounded = dInput.round(dN);
                double dR = dNRounded * hn * (r * (1 - r));
                dInput.set(gr, dR);
                dInput.set(gr + hidden, dZ);
                dInput.set(gr + 2 * hidden, dNRounded);
                dHidden.set(gr, dR);
                dHidden.set(gr + hidden, dZ);
                dHidden.set(gr + 2 * hidden, dNRounded * r);
                dh.set(u, dhu * z);
            }
        });
    }

    // ---------------------------------------------------------------- Adam

    /** See {@link dev.unroll.api.Backend#adamUpdate}; all four tensors have {@code size} elements. */
    void adam(Elements param, Elements grad, Elements m, Elements v, int size, double beta1, double beta2,
              double eps, double weightDecay, double stepSize, double inverseSqrtCorrection2) {
        executor.forRange(size, size * DOUBLE_UNIT_NANOS, (part, from, to) -> {
            for (int k = from; k < to; k++) {
                double p = param.get(k);
                double g = grad.get(k) + weightDecay * p;
                double mk = m.round(beta1 * m.get(k) + (1 - beta1) * g);
                double vk = v.round(beta2 * v.get(k) + (1 - beta2) * g * g);
                m.set(k, mk);
                v.set(k, vk);
                param.set(k, p - stepSize * (mk / (Math.sqrt(vk) * inverseSqrtCorrection2 + eps)));
            }
        });
    }

    @Override
    public void close() {
        executor.close();
    }
}
