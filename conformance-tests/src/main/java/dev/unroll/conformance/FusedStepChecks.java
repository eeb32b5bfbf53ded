package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;
import dev.unroll.api.spi.ForwardingBackend;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused operations (LSTM and GRU steps forward and backward, the Adam update) three ways: the backend's
 * own path (its override, or the default), the composite path built from its primitives (the backend
 * wrapped in a {@link ForwardingBackend}), and the host oracle {@link HostSteps}. All three must agree.
 */
public final class FusedStepChecks {
    private FusedStepChecks() {
    }

    /** Batch and hidden sizes: the smallest, a small one, and one that is no multiple of any block. */
    private static final int[][] SIZES = {{1, 1}, {3, 5}, {4, 37}};

    /** One fused call on some backend: uploads its inputs, runs, and returns its outputs downloaded. */
    private interface StepRun {
        List<HostTensor> run(Backend be);
    }

    /** The checks of one target in one dtype. */
    public static List<Check> all(KitTarget target, DType dtype, Tolerance tolerance) {
        CheckList list = new CheckList(target, dtype, tolerance);
        addTo(list);
        return list.checks();
    }

    static void addTo(CheckList list) {
        for (int[] size : SIZES) {
            int batch = size[0];
            int hidden = size[1];
            String s = " B=" + batch + " H=" + hidden;
            list.add("fused steps", "lstmStepForward" + s, (be, verify, random) -> {
                HostTensor pre = random.uniform(-3, 3, batch, 4 * hidden);
                HostTensor cPrev = random.uniform(-2, 2, batch, hidden);
                HostSteps.LstmForward oracle = HostSteps.lstmForward(pre, cPrev);
                compare(be, verify, List.of("gates", "c", "h"), List.of(oracle.gates(), oracle.c(), oracle.h()),
                        on -> {
                            try (Tensor gates = pre.upload(on, list.dtype());
                                 Tensor tcPrev = cPrev.upload(on, list.dtype());
                                 Tensor c = nan(on, list, batch, hidden); Tensor h = nan(on, list, batch, hidden)) {
                                on.lstmStepForward(gates, tcPrev, c, h);
                                verify.unchanged("cPrev", cPrev, tcPrev);
                                return download(gates, c, h);
                            }
                        });
            });
            list.add("fused steps", "lstmStepBackward" + s, (be, verify, random) -> {
                HostTensor cPrev = random.uniform(-2, 2, batch, hidden);
                HostSteps.LstmForward forward = HostSteps.lstmForward(random.uniform(-3, 3, batch, 4 * hidden), cPrev);
                HostTensor gates = forward.gates().roundedTo(list.dtype());
                HostTensor c = forward.c().roundedTo(list.dtype());
                HostTensor dh = random.uniform(-1, 1, batch, hidden);
                HostTensor dc = random.uniform(-1, 1, batch, hidden);
                HostSteps.LstmBackward oracle = HostSteps.lstmBackward(gates, cPrev, c, dh, dc);
                compare(be, verify, List.of("dc", "dGates"), List.of(oracle.dc(), oracle.dGates()), on -> {
                    try (Tensor tg = gates.upload(on, list.dtype()); Tensor tcPrev = cPrev.upload(on, list.dtype());
                         Tensor tc = c.upload(on, list.dtype()); Tensor tdh = dh.upload(on, list.dtype());
                         Tensor tdc = dc.upload(on, list.dtype()); Tensor dGates = nan(on, list, batch, 4 * hidden)) {
                        on.lstmStepBackward(tg, tcPrev, tc, tdh, tdc, dGates);
                        verify.unchanged("gates", gates, tg);
                        verify.unchanged("dh", dh, tdh);
                        return download(tdc, dGates);
                    }
                });
            });
            list.add("fused steps", "gruStepForward" + s, (be, verify, random) -> {
                HostTensor inputProj = random.uniform(-2, 2, batch, 3 * hidden);
                HostTensor hiddenProj = random.uniform(-2, 2, batch, 3 * hidden);
                HostTensor hPrev = random.uniform(-1, 1, batch, hidden);
                HostSteps.GruForward oracle = HostSteps.gruForward(inputProj, hiddenProj, hPrev);
                compare(be, verify, List.of("gates", "h"), List.of(oracle.gates(), oracle.h()), on -> {
                    try (Tensor gates = inputProj.upload(on, list.dtype());
                         Tensor hProj = hiddenProj.upload(on, list.dtype());
                         Tensor thPrev = hPrev.upload(on, list.dtype()); Tensor h = nan(on, list, batch, hidden)) {
                        on.gruStepForward(gates, hProj, thPrev, h);
                        verify.unchanged("hProj", hiddenProj, hProj);
                        verify.unchanged("hPrev", hPrev, thPrev);
                        return download(gates, h);
                    }
                });
            });
            list.add("fused steps", "gruStepBackward" + s, (be, verify, random) -> {
                HostTensor hiddenProj = random.uniform(-2, 2, batch, 3 * hidden);
                HostTensor hPrev = random.uniform(-1, 1, batch, hidden);
                HostTensor gates = HostSteps.gruForward(random.uniform(-2, 2, batch, 3 * hidden), hiddenProj, hPrev)
                        .gates().roundedTo(list.dtype());
                HostTensor dh = random.uniform(-1, 1, batch, hidden);
                HostSteps.GruBackward oracle = HostSteps.gruBackward(gates, hiddenProj, hPrev, dh);
                compare(be, verify, List.of("dh", "dInput", "dHidden"),
                        List.of(oracle.dh(), oracle.dInput(), oracle.dHidden()), on -> {
                            try (Tensor tg = gates.upload(on, list.dtype());
                                 Tensor hProj = hiddenProj.upload(on, list.dtype());
                                 Tensor thPrev = hPrev.upload(on, list.dtype()); Tensor tdh = dh.upload(on, list.dtype());
                                 Tensor dInput = nan(on, list, batch, 3 * hidden);
                                 Tensor dHidden = nan(on, list, batch, 3 * hidden)) {
                                on.gruStepBackward(tg, hProj, thPrev, tdh, dInput, dHidden);
                                verify.unchanged("gates", gates, tg);
                                verify.unchanged("hProj", hiddenProj, hProj);
                                return download(tdh, dInput, dHidden);
                            }
                        });
            });
        }
        int[][] steps = {{1, 0}, {7, 1}};
        for (int[] variant : steps) {
            long step = variant[0];
            double weightDecay = variant[1] == 0 ? 0 : 0.01;
            String s = " step=" + step + " weightDecay=" + weightDecay + " lr=0.01 betas=(0.9, 0.999) eps=1e-8 [13, 7]";
            list.add("fused steps", "adamUpdate" + s, (be, verify, random) -> {
                HostTensor param = random.uniform(-1, 1, 13, 7);
                HostTensor grad = random.uniform(-1, 1, 13, 7);
                HostTensor m = random.uniform(-0.1, 0.1, 13, 7);
                HostTensor v = random.uniform(0, 0.01, 13, 7);
                // The scalars are not rounded first: the composite path rounds quantities derived from them
                // (1 - beta1, lr / correction), which differs from rounding them first by about one float32
                // ulp, well inside the tolerance.
                HostSteps.AdamState oracle = HostSteps.adam(param, grad, m, v, 0.01, 0.9, 0.999, 1e-8, weightDecay,
                        step);
                compare(be, verify, List.of("param", "m", "v"), List.of(oracle.param(), oracle.m(), oracle.v()),
                        on -> {
                            try (Tensor tp = param.upload(on, list.dtype()); Tensor tg = grad.upload(on, list.dtype());
                                 Tensor tm = m.upload(on, list.dtype()); Tensor tv = v.upload(on, list.dtype())) {
                                on.adamUpdate(tp, tg, tm, tv, 0.01, 0.9, 0.999, 1e-8, weightDecay, step);
                                verify.unchanged("grad", grad, tg);
                                return download(tp, tm, tv);
                            }
                        });
            });
        }
        list.add("fused steps", "lstmStepForward and gruStepForward on step views of [T*B, G] and [T*B, H] sequences"
                + " B=2 H=3", (be, verify, random) -> stepsOnViews(be, verify, list, random));
        list.add("fused steps", "recurrentProduct of two W_hh [148, 37] at once, on 3 of the 5 rows made for",
                (be, verify, random) -> recurrentProducts(be, verify, list, random));
    }

    /**
     * Two recurrent products alive at once (a backend that prepares a copy of W_hh must keep one per product),
     * used on a view of fewer rows than they were made for, as a step of a variable-length batch is.
     */
    private static void recurrentProducts(Backend be, Verifier verify, CheckList list, RandomData random) {
        int rows = 5;
        int used = 3;
        int hidden = 37;
        int gates = 4 * hidden;
        HostTensor w1 = random.uniform(-1, 1, gates, hidden).roundedTo(list.dtype());
        HostTensor w2 = random.uniform(-1, 1, gates, hidden).roundedTo(list.dtype());
        HostTensor h = random.uniform(-1, 1, rows, hidden).roundedTo(list.dtype());
        HostTensor into = random.uniform(-1, 1, used, gates).roundedTo(list.dtype());
        HostTensor expected = into.copy();
        for (int i = 0; i < used; i++) {
            for (int j = 0; j < gates; j++) {
                double sum = expected.get(i, j);
                for (int k = 0; k < hidden; k++) {
                    sum += h.get(1 + i, k) * (w1.get(j, k) + w2.get(j, k));
                }
                expected.set(i, j, sum);
            }
        }
        try (Tensor tw1 = w1.upload(be, list.dtype()); Tensor tw2 = w2.upload(be, list.dtype());
             Tensor th = h.upload(be, list.dtype()); Tensor tinto = into.upload(be, list.dtype());
             Tensor hRows = be.viewRows(th, 1, used);
             RecurrentProduct first = be.recurrentProduct(tw1, rows);
             RecurrentProduct second = be.recurrentProduct(tw2, rows)) {
            first.addTo(hRows, tinto);
            second.addTo(hRows, tinto);
            verify.tensor("into + h W1^T + h W2^T", expected, tinto);
            verify.unchanged("W1", w1, tw1);
            verify.unchanged("W2", w2, tw2);
            verify.unchanged("h", h, th);
        }
    }

    /**
     * Runs the step on the backend itself and on its composite path, and compares both with the oracle and
     * with each other.
     */
    private static void compare(Backend be, Verifier verify, List<String> names, List<HostTensor> oracle,
                                StepRun run) {
        List<HostTensor> fused = run.run(be);
        List<HostTensor> composite = run.run(new ForwardingBackend(be, be.name() + "+composite"));
        for (int i = 0; i < names.size(); i++) {
            verify.tensor(names.get(i) + " (backend's own path vs oracle)", oracle.get(i), fused.get(i));
            verify.tensor(names.get(i) + " (composite path vs oracle)", oracle.get(i), composite.get(i));
            verify.tensor(names.get(i) + " (backend's own path vs composite path)", composite.get(i), fused.get(i));
        }
    }

    /**
     * An LSTM and a GRU step whose every tensor is a view into a sequence, as a recurrent layer calls them:
     * the rows of other steps must stay untouched.
     */
    private static void stepsOnViews(Backend be, Verifier verify, CheckList list, RandomData random) {
        int batch = 2;
        int hidden = 3;
        int steps = 3;
        HostTensor lstmGates = random.uniform(-3, 3, steps * batch, 4 * hidden);
        HostTensor cells = random.uniform(-2, 2, (steps + 1) * batch, hidden);
        HostTensor hs = random.uniform(-2, 2, (steps + 1) * batch, hidden);
        HostSteps.LstmForward lstm = HostSteps.lstmForward(lstmGates.rows(batch, batch), cells.rows(batch, batch));
        try (Tensor tg = lstmGates.upload(be, list.dtype()); Tensor tc = cells.upload(be, list.dtype());
             Tensor th = hs.upload(be, list.dtype()); Tensor gates = be.viewRows(tg, batch, batch);
             Tensor cPrev = be.viewRows(tc, batch, batch); Tensor c = be.viewRows(tc, 2 * batch, batch);
             Tensor h = be.viewRows(th, 2 * batch, batch)) {
            be.lstmStepForward(gates, cPrev, c, h);
            verify.tensor("LSTM gate sequence", lstmGates.withRows(batch, lstm.gates()), tg);
            verify.tensor("LSTM cell sequence", cells.withRows(2 * batch, lstm.c()), tc);
            verify.tensor("LSTM hidden sequence", hs.withRows(2 * batch, lstm.h()), th);
        }
        HostTensor gruGates = random.uniform(-2, 2, steps * batch, 3 * hidden);
        HostTensor hProjs = random.uniform(-2, 2, steps * batch, 3 * hidden);
        HostSteps.GruForward gru = HostSteps.gruForward(gruGates.rows(2 * batch, batch), hProjs.rows(2 * batch, batch),
                hs.rows(2 * batch, batch));
        try (Tensor tg = gruGates.upload(be, list.dtype()); Tensor tp = hProjs.upload(be, list.dtype());
             Tensor th = hs.upload(be, list.dtype()); Tensor gates = be.viewRows(tg, 2 * batch, batch);
             Tensor hProj = be.viewRows(tp, 2 * batch, batch); Tensor hPrev = be.viewRows(th, 2 * batch, batch);
             Tensor h = be.viewRows(th, 3 * batch, batch)) {
            be.gruStepForward(gates, hProj, hPrev, h);
            verify.tensor("GRU gate sequence", gruGates.withRows(2 * batch, gru.gates()), tg);
            verify.tensor("GRU hidden sequence", hs.withRows(3 * batch, gru.h()), th);
            verify.unchanged("GRU hidden projections", hProjs, tp);
        }
    }

    private static Tensor nan(Backend on, CheckList list, int rows, int cols) {
        return HostTensor.filled(Double.NaN, rows, cols).upload(on, list.dtype());
    }

    private static List<HostTensor> download(Tensor... tensors) {
        List<HostTensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(HostTensor.download(t));
        }
        return out;
    }
}
