package dev.unroll.conformance;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.spi.ForwardingBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The whole-sequence operations ({@code lstmSequenceForward}, {@code lstmSequenceBackward} and their GRU and RNN
 * siblings) called directly, on random tensors, against the SPI's default loops built from the same backend's
 * operations (the backend wrapped in a {@link ForwardingBackend}): within the cell tolerance, since an override (a
 * persistent kernel, say) adds its dot products in another order. The cells reach these calls only for some
 * shapes; here every cell meets the smallest shape, a small one and one that is no multiple of any block, with and
 * without an output gradient. A backend that does not override them passes trivially.
 */
public final class SequenceChecks {
    public static final String GROUP = "sequence-ops";
    /** (T, B, H). */
    private static final int[][] SHAPES = {{1, 1, 1}, {4, 3, 5}, {6, 2, 37}};
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
                for (int[] shape : SHAPES) {
                    String s = " T=" + shape[0] + " B=" + shape[1] + " H=" + shape[2];
                    add(checks, target, dtype, tolerance, cell + "SequenceForward" + s,
                            random -> forward(cell, shape, dtype, random));
                    for (boolean withOutput : new boolean[] {true, false}) {
                        add(checks, target, dtype, tolerance,
                                cell + "SequenceBackward" + s + (withOutput ? " with dOutput" : " without dOutput"),
                                random -> backward(cell, shape, withOutput, dtype, random));
                    }
                }
            }
        }
        return checks;
    }

    /** Makes one check's inputs from its seeded random data, and the call on them. */
    private interface Case {
        Named make(RandomData random);
    }

    /** A call and the names of the outputs it returns, in order. */
    private record Named(List<String> outputs, SequenceRun run) {
    }

    private static void add(List<Check> checks, KitTarget target, DType dtype, Function<DType, Tolerance> tolerance,
                            String description, Case make) {
        checks.add(new Check(GROUP, description + " " + dtype, () -> {
            try (Backend be = target.create()) {
                Verifier verify = new Verifier(target.name(), description, dtype, tolerance.apply(dtype));
                Named c = make.make(RandomData.forCheck(description, dtype));
                List<HostTensor> own = runClosing(be, c.run());
                List<HostTensor> loop = runClosing(new ForwardingBackend(be, be.name() + "-loop"), c.run());
                for (int i = 0; i < c.outputs().size(); i++) {
                    verify.tensor(c.outputs().get(i) + " (backend's call vs the default loop)", loop.get(i),
                            own.get(i));
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

    private static Named forward(String cell, int[] shape, DType dtype, RandomData random) {
        int steps = shape[0];
        int batch = shape[1];
        int hidden = shape[2];
        int width = gates(cell) * hidden;
        HostTensor x = random.uniform(-2, 2, steps * batch, width);
        HostTensor w = random.uniform(-1, 1, width, hidden);
        HostTensor bias = random.uniform(-0.5, 0.5, width);
        HostTensor states = random.uniform(-1, 1, (steps + 1) * batch, hidden);
        HostTensor cells = random.uniform(-1, 1, (steps + 1) * batch, hidden);
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
                    be.lstmSequenceForward(tx, tw, th, tc);
                    return download(tx, th, tc);
                }
                case "gru" -> {
                    Tensor projection = upload(be, dtype, HostTensor.zeros(steps * batch, width), open);
                    be.gruSequenceForward(tx, projection, tw, upload(be, dtype, bias, open), th);
                    return download(tx, projection, th);
                }
                default -> {
                    be.rnnSequenceForward(activation(cell), tx, tw, th);
                    return download(th);
                }
            }
        });
    }

    private static Named backward(String cell, int[] shape, boolean withOutput, DType dtype, RandomData random) {
        int steps = shape[0];
        int batch = shape[1];
        int hidden = shape[2];
        int width = gates(cell) * hidden;
        // activations as a forward leaves them: sigmoid and tanh outputs, here all in (0, 1)
        HostTensor activations = random.uniform(0.05, 0.95, steps * batch, width);
        HostTensor projection = random.uniform(-1, 1, steps * batch, width);
        HostTensor w = random.uniform(-1, 1, width, hidden);
        HostTensor states = random.uniform(-1, 1, (steps + 1) * batch, hidden);
        HostTensor dOutput = random.uniform(-1, 1, steps * batch, hidden);
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
                    be.lstmSequenceBackward(upload(be, dtype, activations, open), tw, ts, tdy, dg, tdh, tdc);
                    return download(dg, tdh, tdc);
                }
                case "gru" -> {
                    Tensor dp = upload(be, dtype, HostTensor.filled(Double.NaN, steps * batch, width), open);
                    be.gruSequenceBackward(upload(be, dtype, activations, open), upload(be, dtype, projection, open),
                            tw, ts, tdy, dg, dp, tdh);
                    return download(dg, dp, tdh);
                }
                default -> {
                    be.rnnSequenceBackward(activation(cell), tw, ts, tdy, dg, tdh);
                    return download(dg, tdh);
                }
            }
        });
    }

    private static Tensor upload(Backend be, DType dtype, HostTensor values, List<Tensor> open) {
        Tensor t = values.upload(be, dtype);
        open.add(t);
        return t;
    }

    private static List<HostTensor> download(Tensor... tensors) {
        List<HostTensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(HostTensor.download(t));
        }
        return out;
    }
}
