package dev.unroll.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference implementations of the fused operations, composed from {@link Backend}'s primitives only.
 * They are the defaults of the fused methods; a backend overriding a fused method must agree with them,
 * which the conformance kit checks. They allocate scratch tensors per call: correct, not fast.
 */
public final class CompositeSteps {
    private CompositeSteps() {
    }

    /** See {@link Backend#lstmStepForward}. */
    public static void lstmForward(Backend be, Tensor gates, Tensor cPrev, Tensor c, Tensor h) {
        int hidden = c.cols();
        try (Scratch s = new Scratch(be, c)) {
            Tensor i = s.columns(gates, 0, hidden);
            Tensor f = s.columns(gates, hidden, hidden);
            Tensor g = s.columns(gates, 2 * hidden, hidden);
            Tensor o = s.columns(gates, 3 * hidden, hidden);
            be.activate(Activation.SIGMOID, i, i);
            be.activate(Activation.SIGMOID, f, f);
            be.activate(Activation.TANH, g, g);
            be.activate(Activation.SIGMOID, o, o);
            Tensor ig = s.temp();
            be.mul(i, g, ig);
            be.mul(f, cPrev, c);
            be.add(c, ig, c);
            be.activate(Activation.TANH, c, h);
            be.mul(o, h, h);
            be.copyColumns(i, 0, gates, 0, hidden);
            be.copyColumns(f, 0, gates, hidden, hidden);
            be.copyColumns(g, 0, gates, 2 * hidden, hidden);
            be.copyColumns(o, 0, gates, 3 * hidden, hidden);
        }
    }

    /** See {@link Backend#lstmStepBackward}. */
    public static void lstmBackward(Backend be, Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc,
                                    Tensor dGates) {
        int hidden = c.cols();
        try (Scratch s = new Scratch(be, c)) {
            Tensor i = s.columns(gates, 0, hidden);
            Tensor f = s.columns(gates, hidden, hidden);
            Tensor g = s.columns(gates, 2 * hidden, hidden);
            Tensor o = s.columns(gates, 3 * hidden, hidden);
            Tensor tanhC = s.temp();
            be.activate(Activation.TANH, c, tanhC);
            // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
            Tensor dcTotal = s.temp();
            be.mul(dh, o, dcTotal);
            be.activateBackward(Activation.TANH, tanhC, dcTotal, dcTotal);
            be.add(dcTotal, dc, dcTotal);

            Tensor dO = s.temp();
            be.mul(dh, tanhC, dO);
            be.activateBackward(Activation.SIGMOID, o, dO, dO);
            Tensor dI = s.temp();
            be.mul(dcTotal, g, dI);
            be.activateBackward(Activation.SIGMOID, i, dI, dI);
            Tensor dF = s.temp();
            be.mul(dcTotal, cPrev, dF);
            be.activateBackward(Activation.SIGMOID, f, dF, dF);
            Tensor dG = s.temp();
            be.mul(dcTotal, i, dG);
            be.activateBackward(Activation.TANH, g, dG, dG);

            be.mul(dcTotal, f, dc);
            be.copyColumns(dI, 0, dGates, 0, hidden);
            be.copyColumns(dF, 0, dGates, hidden, hidden);
            be.copyColumns(dG, 0, dGates, 2 * hidden, hidden);
            be.copyColumns(dO, 0, dGates, 3 * hidden, hidden);
        }
    }

    /** See {@link Backend#gruStepForward}. */
    public static void gruForward(Backend be, Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        int hidden = h.cols();
        try (Scratch s = new Scratch(be, h)) {
            Tensor r = s.columns(gates, 0, hidden);
            Tensor z = s.columns(gates, hidden, hidden);
            Tensor n = s.columns(gates, 2 * hidden, hidden);
            be.add(r, s.columns(hProj, 0, hidden), r);
            be.activate(Activation.SIGMOID, r, r);
            be.add(z, s.columns(hProj, hidden, hidden), z);
            be.activate(Activation.SIGMOID, z, z);
            Tensor rh = s.columns(hProj, 2 * hidden, hidden);
            be.mul(r, rh, rh);
            be.add(n, rh, n);
            be.activate(Activation.TANH, n, n);
            // h = (1 - z) * n + z * hPrev = n + z * (hPrev - n)
            Tensor diff = s.temp();
            be.sub(hPrev, n, diff);
            be.mul(z, diff, diff);
            be.add(n, diff, h);
            be.copyColumns(r, 0, gates, 0, hidden);
            be.copyColumns(z, 0, gates, hidden, hidden);
            be.copyColumns(n, 0, gates, 2 * hidden, hidden);
        }
    }

    /** See {@link Backend#gruStepBackward}. */
    public static void gruBackward(Backend be, Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh,
                                   Tensor dInput, Tensor dHidden) {
        int hidden = dh.cols();
        try (Scratch s = new Scratch(be, dh)) {
            Tensor r = s.columns(gates, 0, hidden);
            Tensor z = s.columns(gates, hidden, hidden);
            Tensor n = s.columns(gates, 2 * hidden, hidden);
            Tensor hn = s.columns(hProj, 2 * hidden, hidden);

            Tensor dhz = s.temp();
            be.mul(dh, z, dhz);
            Tensor dN = s.temp();
            be.sub(dh, dhz, dN);                       // dh * (1 - z)
            be.activateBackward(Activation.TANH, n, dN, dN);
            Tensor dZ = s.temp();
            be.sub(hPrev, n, dZ);
            be.mul(dh, dZ, dZ);
            be.activateBackward(Activation.SIGMOID, z, dZ, dZ);
            Tensor dR = s.temp();
            be.mul(dN, hn, dR);
            be.activateBackward(Activation.SIGMOID, r, dR, dR);

            be.copyColumns(dR, 0, dInput, 0, hidden);
            be.copyColumns(dZ, 0, dInput, hidden, hidden);
            be.copyColumns(dN, 0, dInput, 2 * hidden, hidden);
            be.copyColumns(dR, 0, dHidden, 0, hidden);
            be.copyColumns(dZ, 0, dHidden, hidden, hidden);
            be.mul(dN, r, dN);
            be.copyColumns(dN, 0, dHidden, 2 * hidden, hidden);
            be.copy(dhz, dh);
        }
    }

    /** See {@link Backend#adamUpdate}. */
    public static void adam(Backend be, Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1,
                            double beta2, double eps, double weightDecay, long step) {
        try (Scratch s = new Scratch(be, param)) {
            Tensor g = s.temp();
            be.copy(grad, g);
            if (weightDecay != 0) {
                be.axpy(weightDecay, param, g);
            }
            be.scale(beta1, m, m);
            be.axpy(1 - beta1, g, m);
            be.mul(g, g, g);
            be.scale(beta2, v, v);
            be.axpy(1 - beta2, g, v);
            double correction1 = 1 - Math.pow(beta1, step);
            double correction2 = 1 - Math.pow(beta2, step);
            Tensor denominator = s.temp();
            be.sqrt(v, denominator);
            be.scale(1 / Math.sqrt(correction2), denominator, denominator);
            be.addScalar(denominator, eps, denominator);
            be.div(m, denominator, denominator);
            be.axpy(-lr / correction1, denominator, param);
        }
    }

    /** Scratch tensors shaped like a template, all closed together. */
    private static final class Scratch implements AutoCloseable {
        private final Backend be;
        private final Tensor template;
        private final List<Tensor> owned = new ArrayList<>();

        Scratch(Backend be, Tensor template) {
            this.be = be;
            this.template = template;
        }

        Tensor temp() {
            Tensor t = be.allocate(template.dtype(), template.rows(), template.cols());
            owned.add(t);
            return t;
        }

        /** A copy of columns {@code first .. first+count-1} of {@code src}, with the template's row count. */
        Tensor columns(Tensor src, int first, int count) {
            Tensor t = be.allocate(template.dtype(), template.rows(), count);
            owned.add(t);
            be.copyColumns(src, first, t, 0, count);
            return t;
        }

        @Override
        public void close() {
            owned.forEach(Tensor::close);
        }
    }
}
