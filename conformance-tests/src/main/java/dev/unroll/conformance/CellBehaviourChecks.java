package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.CellType;
import dev.unroll.cells.GruForm;
import dev.unroll.cells.InputGradient;
import dev.unroll.cells.InputGradients;
import dev.unroll.cells.Parameter;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;
import dev.unroll.conformance.recurrent.CellScenarios;
import dev.unroll.conformance.recurrent.RandomCellCases;
import dev.unroll.conformance.recurrent.RandomCellCases.Batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Promises of the recurrent stack that no oracle comparison covers: dropout is seeded and off in evaluation,
 * the two GRU forms really differ, gradients accumulate, NaN propagates only where it should, and a stack
 * reusing its buffers for a second batch gives what a fresh stack gives, also where a backend replays the first
 * batch's recorded work ({@code Backend.runRepeatable}, the whole-sequence forwards).
 */
public final class CellBehaviourChecks {
    public static final String GROUP = "cells-behaviour";

    private CellBehaviourChecks() {
    }

    /** The checks in every dtype of the target. */
    public static List<Check> checks(KitTarget target, Function<DType, Tolerance> tolerance) {
        List<Check> checks = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (!target.dtypes().contains(dtype)) {
                continue;
            }
            add(checks, target, dtype, tolerance, "dropout is seeded, applied in training only", CellBehaviourChecks::dropout);
            add(checks, target, dtype, tolerance, "GRU original form differs from PyTorch's", CellBehaviourChecks::gruForms);
            add(checks, target, dtype, tolerance, "backward accumulates into grad", CellBehaviourChecks::accumulates);
            add(checks, target, dtype, tolerance, "backward without dx gives the same parameter gradients",
                    CellBehaviourChecks::withoutInputGradient);
            add(checks, target, dtype, tolerance, "NaN in one sequence stays in that sequence", CellBehaviourChecks::nan);
            add(checks, target, dtype, tolerance, "NaN past a sequence's length is ignored", CellBehaviourChecks::nanPadding);
            add(checks, target, dtype, tolerance, "reused buffers give a fresh stack's results", CellBehaviourChecks::reuse);
            add(checks, target, dtype, tolerance, "a repeated full-length shape gives a fresh stack's results",
                    CellBehaviourChecks::repeatedShape);
            add(checks, target, dtype, tolerance, "steps past the longest sequence change nothing",
                    CellBehaviourChecks::trailingPadding);
            add(checks, target, dtype, tolerance, "recorded repeated work replays like work run each time",
                    CellBehaviourChecks::recordedWork);
        }
        return checks;
    }

    @FunctionalInterface
    private interface Body {
        void run(Backend be, DType dtype, Verifier verify);
    }

    private static void add(List<Check> checks, KitTarget target, DType dtype, Function<DType, Tolerance> tolerance,
                            String description, Body body) {
        checks.add(new Check(GROUP, description + " " + dtype, () -> {
            try (Backend be = target.create()) {
                body.run(be, dtype, new Verifier(target.name(), description, dtype, tolerance.apply(dtype)));
            }
        }));
    }

    private static CellCase lstmCase(String name, RecurrentConfig config, boolean training, long call) {
        CellCase c = RandomCellCases.create(name, config, new Batch(5, 3, new int[] {5, 2, 4}, true), training, 1234);
        return new CellCase(c.name(), c.config(), c.params(), c.x(), c.h0(), c.c0(), c.lengths(), c.dy(), c.dhN(),
                c.dcN(), training, call);
    }

    private static void dropout(Backend be, DType dtype, Verifier verify) {
        RecurrentConfig withDropout = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(3).withDropout(0.5, 99);
        CellResult first = CellRunner.forwardBackward(be, dtype, lstmCase("dropout", withDropout, true, 7));
        CellResult again = CellRunner.forwardBackward(be, dtype, lstmCase("dropout", withDropout, true, 7));
        CellResultComparison.assertSame(verify, first, again);
        CellResult otherCall = CellRunner.forward(be, dtype, lstmCase("dropout", withDropout, true, 8));
        if (CellResultComparison.measure(first, otherCall).absolute() == 0) {
            throw verify.failure("two dropout calls drew the same mask, or dropout was not applied");
        }
        CellResult evaluation = CellRunner.forward(be, dtype, lstmCase("dropout", withDropout, false, 7));
        CellResult noDropout = CellRunner.forward(be, dtype,
                lstmCase("dropout", withDropout.withDropout(0, 99), false, 7));
        verify.tensor("y in evaluation vs without dropout", noDropout.y(), evaluation.y());
        if (CellResultComparison.measure(noDropout, first).absolute() == 0) {
            throw verify.failure("a training pass with dropout 0.5 equals the pass without dropout");
        }
    }

    private static void gruForms(Backend be, DType dtype, Verifier verify) {
        RecurrentConfig pytorch = RecurrentConfig.of(CellType.GRU, 3, 4);
        CellCase c = RandomCellCases.create("gru forms", pytorch, new Batch(4, 2, null, true), false, 5);
        CellResult a = CellRunner.forward(be, dtype, c);
        CellCase original = new CellCase(c.name(), pytorch.withGruForm(GruForm.ORIGINAL), c.params(), c.x(), c.h0(),
                c.c0(), c.lengths(), c.dy(), c.dhN(), c.dcN(), false, 0);
        CellResult b = CellRunner.forward(be, dtype, original);
        if (CellResultComparison.measure(a, b).absolute() < 1e-3) {
            throw verify.failure("GruForm.ORIGINAL gives the same outputs as GruForm.PYTORCH: the option is ignored");
        }
    }

    private static void accumulates(Backend be, DType dtype, Verifier verify) {
        CellCase c = RandomCellCases.create("accumulate", RecurrentConfig.of(CellType.GRU, 3, 4).withBidirectional(true),
                new Batch(4, 2, new int[] {4, 3}, true), false, 17);
        try (RecurrentStack stack = new RecurrentStack(be, dtype, c.config());
             Tensor x = c.x().upload(be, dtype);
             Tensor h0 = c.h0().upload(be, dtype);
             Tensor dy = c.dy().upload(be, dtype);
             Tensor dhN = c.dhN().upload(be, dtype)) {
            CellRunner.load(stack, c);
            try (RecurrentPass pass = stack.forward(x, h0, null, c.lengths(), false)) {
                stack.backward(pass, dy, dhN, null).close();
                List<HostTensor> once = new ArrayList<>();
                for (Parameter p : stack.parameters()) {
                    once.add(HostTensor.download(p.grad()));
                }
                stack.backward(pass, dy, dhN, null).close();
                for (int i = 0; i < once.size(); i++) {
                    Parameter p = stack.parameters().get(i);
                    verify.tensor("grad " + p.name() + " after two backward passes",
                            HostReference.map(once.get(i), v -> 2 * v), p.grad());
                }
                stack.zeroGrad();
                for (Parameter p : stack.parameters()) {
                    verify.tensor("grad " + p.name() + " after zeroGrad", HostTensor.zeros(p.grad().shape()), p.grad());
                }
            }
        }
    }

    /**
     * {@link InputGradient#SKIP} leaves out dx and nothing else: every parameter gradient, dh0 and dc0 as with dx, for
     * a stacked bidirectional LSTM on a batch of several lengths and a full-length GRU (a whole-sequence backward).
     */
    private static void withoutInputGradient(Backend be, DType dtype, Verifier verify) {
        CellCase[] cases = {
            RandomCellCases.create("lstm", RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true),
                    new Batch(5, 3, new int[] {5, 2, 4}, true), false, 29),
            RandomCellCases.create("gru", RecurrentConfig.of(CellType.GRU, 3, 4), new Batch(5, 2, null, true), false,
                    31)};
        for (CellCase c : cases) {
            Map<InputGradient, List<HostTensor>> results = new EnumMap<>(InputGradient.class);
            for (InputGradient mode : InputGradient.values()) {
                try (RecurrentStack stack = new RecurrentStack(be, dtype, c.config());
                     Tensor x = c.x().upload(be, dtype);
                     Tensor h0 = c.h0().upload(be, dtype);
                     Tensor dy = c.dy().upload(be, dtype);
                     Tensor dhN = c.dhN().upload(be, dtype);
                     Tensor dcN = c.dcN() == null ? null : c.dcN().upload(be, dtype)) {
                    CellRunner.load(stack, c);
                    try (RecurrentPass pass = stack.forward(x, h0, null, c.lengths(), false);
                         InputGradients grads = stack.backward(pass, dy, dhN, dcN, Integer.MAX_VALUE, mode)) {
                        if ((grads.dx() == null) != (mode == InputGradient.SKIP)) {
                            throw verify.failure(c.name() + ": dx() is " + (grads.dx() == null ? "null" : "present")
                                    + " with InputGradient." + mode);
                        }
                        List<HostTensor> found = new ArrayList<>();
                        for (Parameter p : stack.parameters()) {
                            found.add(HostTensor.download(p.grad()));
                        }
                        found.add(HostTensor.download(grads.dh0()));
                        if (grads.dc0() != null) {
                            found.add(HostTensor.download(grads.dc0()));
                        }
                        results.put(mode, found);
                    }
                }
            }
            List<HostTensor> with = results.get(InputGradient.COMPUTE);
            List<HostTensor> without = results.get(InputGradient.SKIP);
            for (int i = 0; i < with.size(); i++) {
                if (!Arrays.equals(with.get(i).values(), without.get(i).values())) {
                    throw verify.failure(c.name() + ": gradient " + i + " (parameters in order, then dh0, dc0) differs"
                            + " without dx");
                }
            }
        }
    }

    private static void nan(Backend be, DType dtype, Verifier verify) {
        CellCase c = RandomCellCases.create("nan", RecurrentConfig.of(CellType.LSTM, 3, 4),
                new Batch(4, 3, null, false), false, 23);
        HostTensor x = c.x().copy();
        x.values()[1 * 3 * 3 + 1 * 3] = Double.NaN; // t = 1, batch entry 1
        CellResult clean = CellRunner.forward(be, dtype, c);
        CellResult poisoned = CellRunner.forward(be, dtype, c.withInputs(x, null, null));
        int hidden = 4;
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 3; b++) {
                for (int j = 0; j < hidden; j++) {
                    int i = (t * 3 + b) * hidden + j;
                    double v = poisoned.y().values()[i];
                    boolean shouldBeNaN = b == 1 && t >= 1;
                    if (shouldBeNaN != Double.isNaN(v)) {
                        throw verify.failure("y[" + t + ", " + b + ", " + j + "] = " + v + " but NaN in x[1, 1, 0] must"
                                + (shouldBeNaN ? "" : " not") + " reach it");
                    }
                    if (!shouldBeNaN && v != clean.y().values()[i]) {
                        throw verify.failure("y[" + t + ", " + b + ", " + j + "] changed by NaN in another sequence");
                    }
                }
            }
        }
    }

    private static void nanPadding(Backend be, DType dtype, Verifier verify) {
        RecurrentConfig config = RecurrentConfig.of(CellType.GRU, 3, 4).withLayers(2).withBidirectional(true);
        CellCase clean = RandomCellCases.create("nan padding", config, new Batch(4, 3, new int[] {4, 1, 2}, true),
                false, 29);
        HostTensor x = clean.x().copy();
        HostTensor dy = clean.dy().copy();
        int[] lengths = clean.lengths();
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 3; b++) {
                if (t >= lengths[b]) {
                    Arrays.fill(x.values(), (t * 3 + b) * 3, (t * 3 + b + 1) * 3, Double.NaN);
                    Arrays.fill(dy.values(), (t * 3 + b) * 8, (t * 3 + b + 1) * 8, Double.NaN);
                }
            }
        }
        CellCase padded = new CellCase(clean.name(), config, clean.params(), x, clean.h0(), clean.c0(), lengths, dy,
                clean.dhN(), clean.dcN(), false, 0);
        CellResult expected = CellRunner.forwardBackward(be, dtype, clean);
        CellResult actual = CellRunner.forwardBackward(be, dtype, padded);
        CellResultComparison.assertSame(verify, expected, actual);
    }

    private static void trailingPadding(Backend be, DType dtype, Verifier verify) {
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true);
        int steps = 6;
        int longest = 4;
        CellCase padded = RandomCellCases.create("trailing padding", config,
                new Batch(steps, 2, new int[] {2, longest}, true), false, 37);
        CellCase cut = new CellCase(padded.name(), config, padded.params(), padded.x().timeSteps(0, longest),
                padded.h0(), padded.c0(), padded.lengths(), padded.dy().timeSteps(0, longest), padded.dhN(),
                padded.dcN(), false, 0);
        CellResult full = CellRunner.forwardBackward(be, dtype, padded);
        CellResult expected = CellRunner.forwardBackward(be, dtype, cut);
        verify.tensor("y (steps before the longest length)", expected.y(), full.y().timeSteps(0, longest));
        verify.tensor("y (steps past the longest length)", HostTensor.zeros(steps - longest, 2, config.outputSize()),
                full.y().timeSteps(longest, steps - longest));
        verify.tensor("h_n", expected.hN(), full.hN());
        verify.tensor("c_n", expected.cN(), full.cN());
        for (Map.Entry<String, HostTensor> g : expected.grads().entrySet()) {
            HostTensor actual = full.grads().get(g.getKey());
            verify.tensor("grad " + g.getKey(), g.getValue(),
                    g.getKey().equals("x") ? actual.timeSteps(0, longest) : actual);
        }
        verify.tensor("grad x (steps past the longest length)", HostTensor.zeros(steps - longest, 2, 3),
                full.grads().get("x").timeSteps(longest, steps - longest));
    }

    private static void reuse(Backend be, DType dtype, Verifier verify) {
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4).withBidirectional(true).withLayers(2);
        CellCase first = RandomCellCases.create("reuse first", config, new Batch(5, 3, new int[] {5, 5, 5}, true),
                false, 31);
        CellCase second = RandomCellCases.create("reuse second", config, new Batch(5, 3, new int[] {2, 5, 1}, false),
                false, 32);
        CellResult fresh = CellRunner.forwardBackward(be, dtype, second);
        try (RecurrentStack stack = new RecurrentStack(be, dtype, config)) {
            CellResult reused = null;
            for (CellCase c : List.of(first, second)) {
                reused = CellRunner.forwardBackward(stack, c);
            }
            CellResultComparison.assertSame(verify, fresh, reused);
        }
    }

    /**
     * The stack's repeated work (step loops, whole forward and backward passes) through a {@link RecordingBackend},
     * which records it on first sight and afterwards replays the recorded calls instead of running it, as a GPU
     * backend's graphs do, against the same stack without recording: three full-length batches with fresh inputs,
     * given initial states and output gradients each time. Every cell, unidirectional (whole-sequence calls) and
     * bidirectional (step loops), two layers.
     */
    private static void recordedWork(Backend be, DType dtype, Verifier verify) {
        for (CellScenarios.CellVariant v : CellScenarios.variants()) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                RecurrentConfig config = RecurrentConfig.of(v.cell(), 3, 4).withGruForm(v.form()).withLayers(2)
                        .withBidirectional(bidirectional);
                String name = v.name() + (bidirectional ? " bidirectional" : " unidirectional");
                RecordingBackend recording = RecordingBackend.recording(be);
                try (RecurrentStack recorded = new RecurrentStack(recording.backend(), dtype, config);
                     RecurrentStack direct = new RecurrentStack(RecordingBackend.passThrough(be).backend(), dtype,
                             config)) {
                    for (int call = 0; call < 3; call++) {
                        CellCase c = RandomCellCases.create(name + " call " + call, config,
                                new Batch(5, 3, null, true), false, 51 + call);
                        CellResultComparison.assertSame(verify.part(name + " call " + call),
                                CellRunner.forwardBackward(direct, c), CellRunner.forwardBackward(recorded, c));
                    }
                }
                if (recording.replays() == 0) {
                    throw verify.failure(name + ": nothing was replayed; the stack hands over no repeated work");
                }
            }
        }
    }

    /**
     * Two full-length batches of one shape through one stack: a backend that records the step loops (or the
     * whole-sequence forward) on the first batch replays them on the second, which must give what a fresh stack
     * gives. Every cell, both directions, a small batch (where a persistent kernel may run) with biases and a
     * larger one without.
     */
    private static void repeatedShape(Backend be, DType dtype, Verifier verify) {
        for (CellScenarios.CellVariant v : CellScenarios.variants()) {
            for (int batch : new int[] {3, 24}) {
                RecurrentConfig config = RecurrentConfig.of(v.cell(), 3, 5).withGruForm(v.form()).withLayers(2)
                        .withBidirectional(true).withBias(batch == 3);
                String name = v.name() + " batch " + batch;
                CellCase first = RandomCellCases.create(name + " first", config, new Batch(6, batch, null, true), false,
                        41);
                CellCase second = RandomCellCases.create(name + " second", config, new Batch(6, batch, null, false),
                        false, 42);
                CellResult fresh = CellRunner.forwardBackward(be, dtype, second);
                try (RecurrentStack stack = new RecurrentStack(be, dtype, config)) {
                    CellResult repeated = null;
                    for (CellCase c : List.of(first, second)) {
                        repeated = CellRunner.forwardBackward(stack, c);
                    }
                    CellResultComparison.assertSame(verify.part(name), fresh, repeated);
                }
            }
        }
    }
}
