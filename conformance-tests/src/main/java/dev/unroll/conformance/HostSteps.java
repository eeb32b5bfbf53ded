package dev.unroll.conformance;

import static dev.unroll.conformance.HostReference.sigmoid;

/**
 * The float64 oracle for the fused operations, written from the formulas in the
 * {@link dev.unroll.api.Backend} Javadoc element by element (not from {@link dev.unroll.api.CompositeSteps},
 * which it checks). Gate blocks are column ranges of width H: LSTM i, f, g, o; GRU r, z, n.
 */
public final class HostSteps {
    private HostSteps() {
    }

    /** Outputs of an LSTM step: the gate activations {@code [B, 4H]}, {@code c} and {@code h} {@code [B, H]}. */
    public record LstmForward(HostTensor gates, HostTensor c, HostTensor h) {
    }

    /** Outputs of an LSTM step's backward: {@code dc} (dL/dc_{t-1}) {@code [B, H]}, {@code dGates [B, 4H]}. */
    public record LstmBackward(HostTensor dc, HostTensor dGates) {
    }

    /** Outputs of a GRU step: the gate activations {@code [B, 3H]} and {@code h [B, H]}. */
    public record GruForward(HostTensor gates, HostTensor h) {
    }

    /** Outputs of a GRU step's backward: {@code dh} ({@code z * dh}), {@code dInput}, {@code dHidden}. */
    public record GruBackward(HostTensor dh, HostTensor dInput, HostTensor dHidden) {
    }

    /** Outputs of an Adam step: the new parameter and moments. */
    public record AdamState(HostTensor param, HostTensor m, HostTensor v) {
    }

    /** @param preactivations {@code [B, 4H]} gate pre-activations i, f, g, o */
    public static LstmForward lstmForward(HostTensor preactivations, HostTensor cPrev) {
        int batch = cPrev.rows();
        int hidden = cPrev.cols();
        HostTensor gates = HostTensor.zeros(batch, 4 * hidden);
        HostTensor c = HostTensor.zeros(batch, hidden);
        HostTensor h = HostTensor.zeros(batch, hidden);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(preactivations.get(b, j));
                double f = sigmoid(preactivations.get(b, hidden + j));
                double g = Math.tanh(preactivations.get(b, 2 * hidden + j));
                double o = sigmoid(preactivations.get(b, 3 * hidden + j));
                double cNew = f * cPrev.get(b, j) + i * g;
                gates.set(b, j, i);
                gates.set(b, hidden + j, f);
                gates.set(b, 2 * hidden + j, g);
                gates.set(b, 3 * hidden + j, o);
                c.set(b, j, cNew);
                h.set(b, j, o * Math.tanh(cNew));
            }
        }
        return new LstmForward(gates, c, h);
    }

    /**
     * @param gates the activations i, f, g, o {@code [B, 4H]}
     * @param dc    dL/dc_t from the next step
     */
    public static LstmBackward lstmBackward(HostTensor gates, HostTensor cPrev, HostTensor c, HostTensor dh,
                                            HostTensor dc) {
        int batch = c.rows();
        int hidden = c.cols();
        HostTensor dcPrev = HostTensor.zeros(batch, hidden);
        HostTensor dGates = HostTensor.zeros(batch, 4 * hidden);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                double i = gates.get(b, j);
                double f = gates.get(b, hidden + j);
                double g = gates.get(b, 2 * hidden + j);
                double o = gates.get(b, 3 * hidden + j);
                double tanhC = Math.tanh(c.get(b, j));
                double dH = dh.get(b, j);
                // h = o * tanh(c), so dL/dc gets dh * o * tanh'(c) besides what the next step sends
                double dcTotal = dH * o * (1 - tanhC * tanhC) + dc.get(b, j);
                dGates.set(b, j, dcTotal * g * i * (1 - i));
                dGates.set(b, hidden + j, dcTotal * cPrev.get(b, j) * f * (1 - f));
                dGates.set(b, 2 * hidden + j, dcTotal * i * (1 - g * g));
                dGates.set(b, 3 * hidden + j, dH * tanhC * o * (1 - o));
                dcPrev.set(b, j, dcTotal * f);
            }
        }
        return new LstmBackward(dcPrev, dGates);
    }

    /**
     * @param inputProj  {@code [B, 3H]} {@code W_ih x + b_ih}, blocks r, z, n
     * @param hiddenProj {@code [B, 3H]} {@code W_hh hPrev + b_hh}, blocks r, z, n
     */
    public static GruForward gruForward(HostTensor inputProj, HostTensor hiddenProj, HostTensor hPrev) {
        int batch = hPrev.rows();
        int hidden = hPrev.cols();
        HostTensor gates = HostTensor.zeros(batch, 3 * hidden);
        HostTensor h = HostTensor.zeros(batch, hidden);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                double r = sigmoid(inputProj.get(b, j) + hiddenProj.get(b, j));
                double z = sigmoid(inputProj.get(b, hidden + j) + hiddenProj.get(b, hidden + j));
                double n = Math.tanh(inputProj.get(b, 2 * hidden + j) + r * hiddenProj.get(b, 2 * hidden + j));
                gates.set(b, j, r);
                gates.set(b, hidden + j, z);
                gates.set(b, 2 * hidden + j, n);
                h.set(b, j, (1 - z) * n + z * hPrev.get(b, j));
            }
        }
        return new GruForward(gates, h);
    }

    /** @param gates the activations r, z, n {@code [B, 3H]} */
    public static GruBackward gruBackward(HostTensor gates, HostTensor hiddenProj, HostTensor hPrev, HostTensor dh) {
        int batch = hPrev.rows();
        int hidden = hPrev.cols();
        HostTensor dhPrev = HostTensor.zeros(batch, hidden);
        HostTensor dInput = HostTensor.zeros(batch, 3 * hidden);
        HostTensor dHidden = HostTensor.zeros(batch, 3 * hidden);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                double r = gates.get(b, j);
                double z = gates.get(b, hidden + j);
                double n = gates.get(b, 2 * hidden + j);
                double hn = hiddenProj.get(b, 2 * hidden + j);
                double dH = dh.get(b, j);
                double dnPre = dH * (1 - z) * (1 - n * n);
                double dzPre = dH * (hPrev.get(b, j) - n) * z * (1 - z);
                double drPre = dnPre * hn * r * (1 - r);
                dInput.set(b, j, drPre);
                dInput.set(b, hidden + j, dzPre);
                dInput.set(b, 2 * hidden + j, dnPre);
                dHidden.set(b, j, drPre);
                dHidden.set(b, hidden + j, dzPre);
                // n's pre-activation holds r * (W_hn h + b_hn): the hidden projection's gradient carries r
                dHidden.set(b, 2 * hidden + j, dnPre * r);
                dhPrev.set(b, j, dH * z);
            }
        }
        return new GruBackward(dhPrev, dInput, dHidden);
    }

    /** One step of PyTorch's Adam with L2 weight decay (see {@link dev.unroll.api.Backend#adamUpdate}). */
    public static AdamState adam(HostTensor param, HostTensor grad, HostTensor m, HostTensor v, double lr,
                                 double beta1, double beta2, double eps, double weightDecay, long step) {
        HostTensor p = param.copy();
        HostTensor m1 = m.copy();
        HostTensor v1 = v.copy();
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < p.size(); i++) {
            double g = grad.values()[i] + weightDecay * param.values()[i];
            m1.values()[i] = beta1 * m.values()[i] + (1 - beta1) * g;
            v1.values()[i] = beta2 * v.values()[i] + (1 - beta2) * g * g;
            double mHat = m1.values()[i] / correction1;
            double vHat = v1.values()[i] / correction2;
            p.values()[i] = param.values()[i] - lr * mHat / (Math.sqrt(vHat) + eps);
        }
        return new AdamState(p, m1, v1);
    }
}
