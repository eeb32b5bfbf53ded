package dev.unroll.conformance;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;
import dev.unroll.api.spi.ForwardingBackend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The whole-sequence operations ({@code lstmSequenceForward}, {@code lstmSequenceBackward} and their GRU and RNN
 * siblings) called directly, on random tensors, against the SPI's default loops built from the same backend's
 * operations (the backend wrapped in a {@link ForwardingBackend}): within the cell tolerance, since an override (a
 * persistent kernel, say) adds its dot products in another order. The cells reach these calls only for some
 * shapes; here every cell, in both time directions, meets the smallest shape, a small one and one that is no
 * multiple of any block, with and without an output gradient. And, independent of the default loops, each call in
 * the {@link TimeDirection#REVERSE} direction against the same backend's {@link TimeDirection#FORWARD} call on the
 * sequence read backwards (every time-major buffer's blocks in the opposite order): the same recurrence.
 */
public final class SequenceChecks {
    public static final String GROUP = "sequence-ops";
    /**
     * (T, B, H) and the rows that run at each step: null for all; the profile of a batch sorted longest first; and
     * any counts the SPI allows (a backend must not assume the sorted profile), zeros included.
     */
    private static final List<Layout> LAYOUTS = List.of(
            new Layout(1, 1, 1, null), new Layout(4, 3, 5, null), new Layout(6, 2, 37, null),
            new Layout(4, 3, 5, new int[] {3, 2, 2, 1}), new Layout(6, 2, 37, new int[] {2, 2, 1, 1, 1, 1}),
            new Layout(5, 3, 9, new int[] {1, 0, 3, 2, 0}));

    /** One shape of a sequence call. */
    private record Layout(int steps, int batch, int hidden, int[] activeRows) {
        String describe() {
            return " T=" + steps + " B=" + batch + " H=" + hidden
                    + (activeRows == null ? "" : " activeRows=" + Arrays.toString(activeRows));
        }

        /** The rows that run at each step of the sequence read backwards. */
        int[] mirroredActiveRows() {
            if (activeRows == null) {
                return null;
            }
            int[] out = new int[steps];
            for (int t = 0; t < steps; t++) {
                out[t] = activeRows[steps - 1 - t];
            }
            return out;
        }
    }
    private static final String[] CELLS = {"lstm", "gru", "rnn_tanh", "rnn_relu"};

    private SequenceChecks() {
    }

    /** What one sequence call on some backend leaves: its outputs, named, downloaded. */
    private interface SequenceRun {
        List<HostTensor> run(Backend be, List<Tensor> open);
    }

    /** The checks in every dtype of the target. */
    public static List<Check> checks(KitTarget target, Function<DType, Tolerance> tolerance) {
        List<Check> checks = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (!target.dtypes().contains(dtype)) {
                continue;
            }
            for (String cell : CELLS) {
                for (Layout shape : LAYOUTS) {
                    String s = shape.describe();
                    for (TimeDirection direction : TimeDirection.values()) {
                        add(checks, target, dtype, tolerance, cell + "SequenceForward " + direction + s,
                                (random, mirror) -> forward(cell, direction, mirror, shape, dtype, random));
                    }
                    addMirror(checks, target, dtype, tolerance, cell + "SequenceForward" + s,
                            (random, mirror) -> forward(cell, TimeDirection.REVERSE, mirror, shape, dtype, random));
                    for (boolean withOutput : new boolean[] {true, false}) {
                        String o = s + (withOutput ? " with dOutput" : " without dOutput");
                        for (TimeDirection direction : TimeDirection.values()) {
                            add(checks, target, dtype, tolerance, cell + "SequenceBackward " + direction + o,
                                    (random, mirror) -> backward(cell, direction, mirror, shape, withOutput, dtype,
                                            random));
                        }
                        addMirror(checks, target, dtype, tolerance, cell + "SequenceBackward" + o,
                                (random, mirror) -> backward(cell, TimeDirection.REVERSE, mirror, shape, withOutput,
                                        dtype, random));
                    }
                }
            }
        }
        return checks;
    }

    /**
     * Makes one check's inputs from its seeded random data, and the call on them; {@code mirror}: the
     * {@link TimeDirection#FORWARD} call on the sequence read backwards instead, its outputs read backwards again.
     */
    private interface Case {
        Named make(RandomData random, boolean mirror);
    }

    /** A call and the names of the outputs it returns, in order. */
    private record Named(List<String> outputs, SequenceRun run) {
    }

    /** The backend's call against the default loop on the same backend's operations. */
    private static void add(List<Check> checks, KitTarget target, DType dtype, Function<DType, Tolerance> tolerance,
                            String description, Case make) {
        checks.add(new Check(GROUP, description + " " + dtype, () -> {
            try (Backend be = target.create()) {
                Verifier verify = new Verifier(target.name(), description, dtype, tolerance.apply(dtype));
                Named c = make.make(RandomData.forCheck(description, dtype), false);
                List<HostTensor> own = runClosing(be, c.run());
                List<HostTensor> loop = runClosing(new ForwardingBackend(be, be.name() + "-loop"), c.run());
                for (int i = 0; i < c.outputs().size(); i++) {
                    verify.tensor(c.outputs().get(i) + " (backend's call vs the default loop)", loop.get(i),
                            own.get(i));
                }
            }
        }));
    }

    /** The backend's REVERSE call against its own FORWARD call on the mirrored sequence. */
    private static void addMirror(List<Check> checks, KitTarget target, DType dtype,
                                  Function<DType, Tolerance> tolerance, String description, Case make) {
        String name = description + " REVERSE mirrors FORWARD";
        checks.add(new Check(GROUP, name + " " + dtype, () -> {
            try (Backend be = target.create()) {
                Verifier verify = new Verifier(target.name(), name, dtype, tolerance.apply(dtype));
                Named reverse = make.make(RandomData.forCheck(description, dtype), false);
                Named mirrored = make.make(RandomData.forCheck(description, dtype), true);
                List<HostTensor> own = runClosing(be, reverse.run());
                List<HostTensor> forward = runClosing(be, mirrored.run());
                for (int i = 0; i < reverse.outputs().size(); i++) {
                    verify.tensor(reverse.outputs().get(i) + " (REVERSE vs FORWARD on the sequence read backwards)",
                            forward.get(i), own.get(i));
                }
            }
        }));
    }

    private static List<HostTensor> runClosing(Backend be, SequenceRun run) {
        List<Tensor> open = new ArrayList<>();
        try {
            return run.run(be, open);
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /**
     * A time-major buffer read backwards: its blocks of {@code batch} rows in the opposite order. A state buffer's
     * {@code T+1} blocks map so that the REVERSE direction's block {@code k} is the FORWARD direction's {@code T-k}.
     */
    private static HostTensor mirrored(HostTensor t, int batch) {
        int blocks = t.rows() / batch;
        int blockSize = batch * t.cols();
        double[] out = new double[t.size()];
        for (int k = 0; k < blocks; k++) {
            System.arraycopy(t.values(), k * blockSize, out, (blocks - 1 - k) * blockSize, blockSize);
        }
        return new HostTensor(t.shape(), out);
    }

    private static int gates(String cell) {
        return switch (cell) {
            case "lstm" -> 4;
            case "gru" -> 3;
            default -> 1;
        };
    }

    private static Activation activation(String cell) {
        return cell.equals("rnn_relu") ? Activation.RELU : Activation.TANH;
    }

    /**
     * What one check passes the backend: as asked, or (mirror) the FORWARD call on the sequence read backwards, whose
     * time-major buffers go through {@code time} on the way in and out.
     */
    private record Calling(TimeDirection direction, int[] activeRows, UnaryOperator<HostTensor> time) {
        static Calling of(Layout shape, TimeDirection direction, boolean mirror) {
            return mirror
                    ? new Calling(TimeDirection.FORWARD, shape.mirroredActiveRows(), t -> mirrored(t, shape.batch()))
                    : new Calling(direction, shape.activeRows(), t -> t);
        }
    }

    private static Named forward(String cell, TimeDirection direction, boolean mirror, Layout shape, DType dtype,
                                 RandomData random) {
        int steps = shape.steps();
        int batch = shape.batch();
        int hidden = shape.hidden();
        Calling calling = Calling.of(shape, direction, mirror);
        int[] active = calling.activeRows();
        UnaryOperator<HostTensor> time = calling.time();
        TimeDirection called = calling.direction();
        int width = gates(cell) * hidden;
        HostTensor x = time.apply(random.uniform(-2, 2, steps * batch, width));
        HostTensor w = random.uniform(-1, 1, width, hidden);
        HostTensor bias = random.uniform(-0.5, 0.5, width);
        HostTensor states = time.apply(random.uniform(-1, 1, (steps + 1) * batch, hidden));
        HostTensor cells = time.apply(random.uniform(-1, 1, (steps + 1) * batch, hidden));
        List<String> names = switch (cell) {
            case "lstm" -> List.of("gates", "states", "cells");
            case "gru" -> List.of("gates", "hiddenProjection", "states");
            default -> List.of("states"); // an RNN leaves its gate buffer unspecified
        };
        return new Named(names, (be, open) -> {
            Tensor tx = upload(be, dtype, x, open);
            Tensor tw = upload(be, dtype, w, open);
            Tensor th = upload(be, dtype, states, open);
            switch (cell) {
                case "lstm" -> {
                    Tensor tc = upload(be, dtype, cells, open);
                    be.lstmSequenceForward(called, active, tx, tw, th, tc);
                    return download(time, tx, th, tc);
                }
                case "gru" -> {
                    Tensor projection = upload(be, dtype, HostTensor.zeros(steps * batch, width), open);
                    be.gruSequenceForward(called, active, tx, projection, tw, upload(be, dtype, bias, open), th);
                    return download(time, tx, projection, th);
                }
                default -> {
                    be.rnnSequenceForward(called, active, activation(cell), tx, tw, th);
                    return download(time, th);
                }
            }
        });
    }

    private static Named backward(String cell, TimeDirection direction, boolean mirror, Layout shape,
                                  boolean withOutput, DType dtype, RandomData random) {
        int steps = shape.steps();
        int batch = shape.batch();
        int hidden = shape.hidden();
        Calling calling = Calling.of(shape, direction, mirror);
        int[] active = calling.activeRows();
        UnaryOperator<HostTensor> time = calling.time();
        TimeDirection called = calling.direction();
        int width = gates(cell) * hidden;
        // activations as a forward leaves them: sigmoid and tanh outputs, here all in (0, 1)
        HostTensor activations = time.apply(random.uniform(0.05, 0.95, steps * batch, width));
        HostTensor projection = time.apply(random.uniform(-1, 1, steps * batch, width));
        HostTensor w = random.uniform(-1, 1, width, hidden);
        HostTensor states = time.apply(random.uniform(-1, 1, (steps + 1) * batch, hidden));
        HostTensor dOutput = time.apply(random.uniform(-1, 1, steps * batch, hidden));
        HostTensor dHidden = random.uniform(-1, 1, batch, hidden);
        HostTensor dCell = random.uniform(-1, 1, batch, hidden);
        List<String> names = switch (cell) {
            case "lstm" -> List.of("dGates", "dHidden", "dCell");
            case "gru" -> List.of("dGates", "dHiddenProjection", "dHidden");
            default -> List.of("dGates", "dHidden");
        };
        return new Named(names, (be, open) -> {
            Tensor tw = upload(be, dtype, w, open);
            Tensor ts = upload(be, dtype, states, open);
            Tensor tdy = withOutput ? upload(be, dtype, dOutput, open) : null;
            Tensor tdh = upload(be, dtype, dHidden, open);
            Tensor dg = upload(be, dtype, HostTensor.filled(Double.NaN, steps * batch, width), open);
            switch (cell) {
                case "lstm" -> {
                    Tensor tdc = upload(be, dtype, dCell, open);
                    be.lstmSequenceBackward(called, active, upload(be, dtype, activations, open), tw, ts, tdy, dg,
                            tdh, tdc);
                    return List.of(time.apply(HostTensor.download(dg)), HostTensor.download(tdh),
                            HostTensor.download(tdc));
                }
                case "gru" -> {
                    Tensor dp = upload(be, dtype, HostTensor.filled(Double.NaN, steps * batch, width), open);
                    be.gruSequenceBackward(called, active, upload(be, dtype, activations, open),
                            upload(be, dtype, projection, open), tw, ts, tdy, dg, dp, tdh);
                    return List.of(time.apply(HostTensor.download(dg)), time.apply(HostTensor.download(dp)),
                            HostTensor.download(tdh));
                }
                default -> {
                    be.rnnSequenceBackward(called, active, activation(cell), tw, ts, tdy, dg, tdh);
                    return List.of(time.apply(HostTensor.download(dg)), HostTensor.download(tdh));
                }
            }
        });
    }

    private static Tensor upload(Backend be, DType dtype, HostTensor values, List<Tensor> open) {
        Tensor t = values.upload(be, dtype);
        open.add(t);
        return t;
    }

    /** Downloads time-major tensors, each read through {@code time} (backwards again where the call was mirrored). */
    private static List<HostTensor> download(UnaryOperator<HostTensor> time, Tensor... tensors) {
        List<HostTensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(time.apply(HostTensor.download(t)));
        }
        return out;
    }
}
