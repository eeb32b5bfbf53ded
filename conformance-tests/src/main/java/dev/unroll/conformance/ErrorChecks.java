package dev.unroll.conformance;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.Arrays;
import java.util.List;

import static dev.unroll.api.TimeDirection.FORWARD;
import static dev.unroll.api.TimeDirection.REVERSE;

/**
 * The errors the API specifies: a shape mismatch throws {@link IllegalArgumentException} whose message names
 * the operation and the shapes; an index or row range out of bounds throws {@link IllegalArgumentException};
 * a closed tensor (or a view of one, or a tensor of a closed backend) throws {@link IllegalStateException};
 * a tensor of another backend instance, or of another dtype, throws {@link IllegalArgumentException}.
 */
public final class ErrorChecks {
    private ErrorChecks() {
    }

    /** A call that must fail; it gets the backend and a tensor factory. */
    private interface Call {
        void run(Backend be, Shapes t) throws Throwable;
    }

    /** Allocates tensors of the check's dtype, closed with the backend. */
    private interface Shapes {
        Tensor of(int... shape);
    }

    /**
     * @param op       the name the message must contain
     * @param mentions the shapes (or other words) the message must contain
     */
    private record BadCall(String op, String call, List<String> mentions, Call body) {
    }

    private static BadCall bad(String op, String call, String[] mentions, Call body) {
        return new BadCall(op, call, List.of(mentions), body);
    }

    private static String[] mention(String... words) {
        return words;
    }

    /** The checks of one target, run in one dtype. */
    public static List<Check> all(KitTarget target, DType dtype) {
        CheckList list = new CheckList(target, dtype, Tolerances.forPrimitives(dtype));
        addTo(list);
        return list.checks();
    }

    static void addTo(CheckList list) {
        for (BadCall b : badShapes()) {
            list.add("errors", b.call + " throws IllegalArgumentException naming " + b.op + " and "
                    + String.join(", ", b.mentions), (be, verify, random) -> {
                        IllegalArgumentException e = expect(verify, b.call, IllegalArgumentException.class,
                                () -> b.body.run(be, shape -> be.allocate(list.dtype(), shape)));
                        String message = String.valueOf(e.getMessage());
                        for (String word : concat(b.op, b.mentions)) {
                            if (!message.contains(word)) {
                                throw verify.failure(b.call + " threw IllegalArgumentException(\"" + message
                                        + "\"), whose message does not name '" + word + "'");
                            }
                        }
                    });
        }
        addClosedTensorChecks(list);
        addForeignTensorChecks(list);
    }

    private static List<BadCall> badShapes() {
        return List.of(
                bad("add", "add(a [2, 3], b [3, 2], out [2, 3])", mention("[2, 3]", "[3, 2]"),
                        (be, t) -> be.add(t.of(2, 3), t.of(3, 2), t.of(2, 3))),
                bad("add", "add(a [2, 3], b [2, 3], out [4, 3])", mention("[2, 3]", "[4, 3]"),
                        (be, t) -> be.add(t.of(2, 3), t.of(2, 3), t.of(4, 3))),
                bad("sub", "sub(a [2, 3], b [3, 2], out [2, 3])", mention("[2, 3]", "[3, 2]"),
                        (be, t) -> be.sub(t.of(2, 3), t.of(3, 2), t.of(2, 3))),
                bad("mul", "mul(a [2, 3], b [2, 4], out [2, 3])", mention("[2, 3]", "[2, 4]"),
                        (be, t) -> be.mul(t.of(2, 3), t.of(2, 4), t.of(2, 3))),
                bad("div", "div(a [2, 3], b [5, 3], out [2, 3])", mention("[2, 3]", "[5, 3]"),
                        (be, t) -> be.div(t.of(2, 3), t.of(5, 3), t.of(2, 3))),
                bad("scale", "scale(2, x [2, 3], out [3, 3])", mention("[2, 3]", "[3, 3]"),
                        (be, t) -> be.scale(2, t.of(2, 3), t.of(3, 3))),
                bad("addScalar", "addScalar(x [2, 3], 1, out [2, 5])", mention("[2, 3]", "[2, 5]"),
                        (be, t) -> be.addScalar(t.of(2, 3), 1, t.of(2, 5))),
                bad("axpy", "axpy(2, x [2, 3], y [3, 3])", mention("[2, 3]", "[3, 3]"),
                        (be, t) -> be.axpy(2, t.of(2, 3), t.of(3, 3))),
                bad("sqrt", "sqrt(x [2, 3], out [6])", mention("[2, 3]", "[6]"),
                        (be, t) -> be.sqrt(t.of(2, 3), t.of(6))),
                bad("clamp", "clamp(x [2, 3], -1, 1, out [3, 2])", mention("[2, 3]", "[3, 2]"),
                        (be, t) -> be.clamp(t.of(2, 3), -1, 1, t.of(3, 2))),
                bad("activate", "activate(TANH, x [2, 3], out [3, 2])", mention("[2, 3]", "[3, 2]"),
                        (be, t) -> be.activate(Activation.TANH, t.of(2, 3), t.of(3, 2))),
                bad("activateBackward", "activateBackward(SIGMOID, y [2, 3], dy [2, 4], dx [2, 3])",
                        mention("[2, 3]", "[2, 4]"),
                        (be, t) -> be.activateBackward(Activation.SIGMOID, t.of(2, 3), t.of(2, 4), t.of(2, 3))),
                bad("gemm", "gemm(false, false, a [2, 3], b [4, 5], c [2, 5])", mention("[2, 3]", "[4, 5]", "[2, 5]"),
                        (be, t) -> be.gemm(false, false, 1, t.of(2, 3), t.of(4, 5), 0, t.of(2, 5))),
                bad("gemm", "gemm(true, false, a [2, 3], b [2, 4], c [4, 3])", mention("[2, 3]", "[2, 4]", "[4, 3]"),
                        (be, t) -> be.gemm(true, false, 1, t.of(2, 3), t.of(2, 4), 0, t.of(4, 3))),
                bad("gemm", "gemm(false, true, a [2, 3], b [4, 3], c [2, 3])", mention("[2, 3]", "[4, 3]"),
                        (be, t) -> be.gemm(false, true, 1, t.of(2, 3), t.of(4, 3), 0, t.of(2, 3))),
                bad("addRowVector", "addRowVector(m [3, 4], row [5], out [3, 4])", mention("[3, 4]", "[5]"),
                        (be, t) -> be.addRowVector(t.of(3, 4), t.of(5), t.of(3, 4))),
                bad("mulColumnVector", "mulColumnVector(m [3, 4], column [4], out [3, 4])",
                        mention("[3, 4]", "[4]"),
                        (be, t) -> be.mulColumnVector(t.of(3, 4), t.of(4), t.of(3, 4))),
                bad("columnSums", "columnSums(m [3, 4], 0, out [3])", mention("[3, 4]", "[3]"),
                        (be, t) -> be.columnSums(t.of(3, 4), 0, t.of(3))),
                bad("copy", "copy(src [2, 3], dst [3, 2])", mention("[2, 3]", "[3, 2]"),
                        (be, t) -> be.copy(t.of(2, 3), t.of(3, 2))),
                bad("copyRows", "copyRows(src [2, 3], 0, dst [2, 4], 0, 1)", mention("[2, 3]", "[2, 4]"),
                        (be, t) -> be.copyRows(t.of(2, 3), 0, t.of(2, 4), 0, 1)),
                bad("copyColumns", "copyColumns(src [2, 3], 0, dst [3, 3], 0, 1)", mention("[2, 3]", "[3, 3]"),
                        (be, t) -> be.copyColumns(t.of(2, 3), 0, t.of(3, 3), 0, 1)),
                bad("gatherRows", "gatherRows(table [5, 3], {0, 1}, out [2, 4])", mention("[5, 3]", "[2, 4]"),
                        (be, t) -> be.gatherRows(t.of(5, 3), new int[] {0, 1}, t.of(2, 4))),
                bad("scatterAddRows", "scatterAddRows(src [3, 3], {0, 1}, table [5, 3])",
                        mention("[3, 3]", "[5, 3]"),
                        (be, t) -> be.scatterAddRows(t.of(3, 3), new int[] {0, 1}, t.of(5, 3))),
                bad("softmaxCrossEntropy", "softmaxCrossEntropy(logits [2, 3], {0, 1}, probabilities [3, 3])",
                        mention("[2, 3]", "[3, 3]"),
                        (be, t) -> be.softmaxCrossEntropy(t.of(2, 3), new int[] {0, 1}, t.of(3, 3))),
                bad("softmaxCrossEntropyBackward",
                        "softmaxCrossEntropyBackward(probabilities [2, 3], {0, 1}, 1, dLogits [2, 4])",
                        mention("[2, 3]", "[2, 4]"),
                        (be, t) -> be.softmaxCrossEntropyBackward(t.of(2, 3), new int[] {0, 1}, 1, t.of(2, 4))),
                bad("gemm", "gemm(a = rows 0..1, b [3, 3], c = rows 1..2 of one [4, 3] tensor)", mention("overlap"),
                        (be, t) -> {
                            Tensor states = t.of(4, 3);
                            be.gemm(false, true, 1, be.viewRows(states, 0, 2), t.of(3, 3), 0,
                                    be.viewRows(states, 1, 2));
                        }),
                bad("lstmSequenceForward",
                        "lstmSequenceForward(FORWARD, gates [6, 12], weightHh [12, 3], states [6, 3], cells [6, 3])",
                        mention("[6, 12]", "[6, 3]"),
                        (be, t) -> be.lstmSequenceForward(FORWARD, null, t.of(6, 12), t.of(12, 3), t.of(6, 3),
                                t.of(6, 3))),
                bad("lstmSequenceForward",
                        "lstmSequenceForward(null direction, gates [6, 12], weightHh [12, 3], states [9, 3], ...)",
                        mention("direction"),
                        (be, t) -> be.lstmSequenceForward(null, null, t.of(6, 12), t.of(12, 3), t.of(9, 3), t.of(9, 3))),
                bad("lstmSequenceForward",
                        "lstmSequenceForward(FORWARD, activeRows {3, 3}, gates [9, 12], weightHh [12, 3], states"
                                + " [12, 3], cells [12, 3]: 3 steps)",
                        mention("activeRows", "3 steps"),
                        (be, t) -> be.lstmSequenceForward(FORWARD, new int[] {3, 3}, t.of(9, 12), t.of(12, 3),
                                t.of(12, 3), t.of(12, 3))),
                bad("gruSequenceBackward", "gruSequenceBackward(FORWARD, null, gates [6, 9], hProj [6, 9], weightHh"
                                + " [9, 3], states [9, 3], null, dGates [6, 9], dHProj [6, 9], null dHidden)",
                        mention("dHidden", "null"),
                        (be, t) -> be.gruSequenceBackward(FORWARD, null, t.of(6, 9), t.of(6, 9), t.of(9, 3),
                                t.of(9, 3), null, t.of(6, 9), t.of(6, 9), null)),
                bad("rnnSequenceBackward", "rnnSequenceBackward(REVERSE, activeRows {1, 4} for a batch of 3, ...)",
                        mention("activeRows[1] = 4"),
                        (be, t) -> be.rnnSequenceBackward(REVERSE, new int[] {1, 4}, Activation.TANH, t.of(3, 3),
                                t.of(9, 3), null, t.of(6, 3), t.of(3, 3))),
                bad("gruSequenceForward",
                        "gruSequenceForward(REVERSE, gates [6, 9], hProj [6, 9], weightHh [9, 4], null, states [9, 3])",
                        mention("[9, 4]", "[9, 3]"),
                        (be, t) -> be.gruSequenceForward(REVERSE, null, t.of(6, 9), t.of(6, 9), t.of(9, 4), null,
                                t.of(9, 3))),
                bad("gruSequenceForward", "gruSequenceForward(FORWARD, gates [6, 9], hProj [6, 9], weightHh [9, 3],"
                                + " biasHh [6], states [9, 3])",
                        mention("biasHh", "[6, 9]"),
                        (be, t) -> be.gruSequenceForward(FORWARD, null, t.of(6, 9), t.of(6, 9), t.of(9, 3), t.of(6),
                                t.of(9, 3))),
                bad("rnnSequenceForward",
                        "rnnSequenceForward(REVERSE, SIGMOID, gates [6, 3], weightHh [3, 3], states [9, 3])",
                        mention("SIGMOID"),
                        (be, t) -> be.rnnSequenceForward(REVERSE, null, Activation.SIGMOID, t.of(6, 3), t.of(3, 3),
                                t.of(9, 3))),
                bad("lstmSequenceBackward", "lstmSequenceBackward(FORWARD, gates [6, 12], weightHh [12, 3],"
                                + " cells [9, 3], null, dGates [6, 12], dHidden [2, 3], dCell [2, 3])",
                        mention("dHidden", "[2, 3]"),
                        (be, t) -> be.lstmSequenceBackward(FORWARD, null, t.of(6, 12), t.of(12, 3), t.of(9, 3), null,
                                t.of(6, 12), t.of(2, 3), t.of(2, 3))),
                bad("lstmSequenceBackward", "lstmSequenceBackward(REVERSE, gates [6, 8], weightHh [12, 3],"
                                + " cells [9, 3], null, dGates [6, 12], dHidden [3, 3], dCell [3, 3])",
                        mention("[6, 8]", "[6, 12]"),
                        (be, t) -> be.lstmSequenceBackward(REVERSE, null, t.of(6, 8), t.of(12, 3), t.of(9, 3), null,
                                t.of(6, 12), t.of(3, 3), t.of(3, 3))),
                bad("gruSequenceBackward", "gruSequenceBackward(REVERSE, gates [6, 9], hProj [6, 9], weightHh [9, 3],"
                                + " states [9, 3], dOutput [6, 4], dGates [6, 9], dHProj [6, 9], dHidden [3, 3])",
                        mention("dOutput", "[6, 4]"),
                        (be, t) -> be.gruSequenceBackward(REVERSE, null, t.of(6, 9), t.of(6, 9), t.of(9, 3), t.of(9, 3),
                                t.of(6, 4), t.of(6, 9), t.of(6, 9), t.of(3, 3))),
                bad("rnnSequenceBackward", "rnnSequenceBackward(FORWARD, SIGMOID, weightHh [3, 3], states [9, 3],"
                                + " null, dGates [6, 3], dHidden [3, 3])", mention("SIGMOID"),
                        (be, t) -> be.rnnSequenceBackward(FORWARD, null, Activation.SIGMOID, t.of(3, 3), t.of(9, 3),
                                null, t.of(6, 3), t.of(3, 3))),
                bad("rnnSequenceBackward", "rnnSequenceBackward(null direction, TANH, weightHh [3, 3], states [9, 3],"
                                + " null, dGates [6, 3], dHidden [3, 3])", mention("direction"),
                        (be, t) -> be.rnnSequenceBackward(null, null, Activation.TANH, t.of(3, 3), t.of(9, 3), null,
                                t.of(6, 3), t.of(3, 3))),
                bad("lstmStepForward", "lstmStepForward(gates [2, 8], cPrev [2, 3], c [2, 3], h [2, 3])",
                        mention("[2, 8]", "[2, 3]"),
                        (be, t) -> be.lstmStepForward(t.of(2, 8), t.of(2, 3), t.of(2, 3), t.of(2, 3))),
                bad("lstmStepBackward",
                        "lstmStepBackward(gates [2, 8], cPrev [2, 2], c [2, 2], dh [2, 2], dc [2, 2], dGates [2, 4])",
                        mention("[2, 8]", "[2, 4]"),
                        (be, t) -> be.lstmStepBackward(t.of(2, 8), t.of(2, 2), t.of(2, 2), t.of(2, 2), t.of(2, 2),
                                t.of(2, 4))),
                bad("gruStepForward", "gruStepForward(gates [2, 9], hProj [2, 6], hPrev [2, 3], h [2, 3])",
                        mention("[2, 9]", "[2, 6]"),
                        (be, t) -> be.gruStepForward(t.of(2, 9), t.of(2, 6), t.of(2, 3), t.of(2, 3))),
                bad("gruStepBackward",
                        "gruStepBackward(gates [2, 9], hProj [2, 9], hPrev [2, 3], dh [2, 3], dInput [2, 6], dHidden"
                                + " [2, 9])", mention("[2, 9]", "[2, 6]"),
                        (be, t) -> be.gruStepBackward(t.of(2, 9), t.of(2, 9), t.of(2, 3), t.of(2, 3), t.of(2, 6),
                                t.of(2, 9))),
                bad("adamUpdate", "adamUpdate(param [2, 3], grad [3, 2], m [2, 3], v [2, 3], ...)",
                        mention("[2, 3]", "[3, 2]"),
                        (be, t) -> be.adamUpdate(t.of(2, 3), t.of(3, 2), t.of(2, 3), t.of(2, 3), 0.1, 0.9, 0.999,
                                1e-8, 0, 1)),
                bad("reshape", "reshape([2, 3] as [4, 2])", mention("[2, 3]", "[4, 2]"),
                        (be, t) -> be.reshape(t.of(2, 3), 4, 2)),
                bad("upload", "upload(5 values into [2, 3])", mention("[2, 3]"),
                        (be, t) -> be.upload(new double[5], t.of(2, 3))),
                bad("upload", "upload(null float[] into [2, 3])", mention("null"),
                        (be, t) -> be.upload((float[]) null, t.of(2, 3))),
                bad("download", "download([2, 3] into a null double[])", mention("null"),
                        (be, t) -> be.download(t.of(2, 3), (double[]) null)),
                bad("allocate", "allocate(null dtype, 2, 3)", mention("null"),
                        (be, t) -> be.allocate(null, 2, 3).close()),
                bad("gatherRows", "gatherRows(table [5, 3], null indices, out [2, 3])", mention("null"),
                        (be, t) -> be.gatherRows(t.of(5, 3), null, t.of(2, 3))),
                bad("softmaxCrossEntropy", "softmaxCrossEntropy(logits [2, 3], null targets)", mention("null"),
                        (be, t) -> be.softmaxCrossEntropy(t.of(2, 3), null, t.of(2, 3))),
                bad("lstmStepForward", "lstmStepForward(null gates, cPrev [2, 3], c [2, 3], h [2, 3])",
                        mention("'gates'", "null"),
                        (be, t) -> be.lstmStepForward(null, t.of(2, 3), t.of(2, 3), t.of(2, 3))),
                bad("gruStepForward", "gruStepForward(gates [2, 9], hProj [2, 9], null hPrev, h [2, 3])",
                        mention("'hPrev'", "null"),
                        (be, t) -> be.gruStepForward(t.of(2, 9), t.of(2, 9), null, t.of(2, 3))),
                bad("download", "download([2, 3] into 7 values)", mention("[2, 3]"),
                        (be, t) -> be.download(t.of(2, 3), new float[7])),
                bad("viewRows", "viewRows([4, 3], rows 3..4)", mention("[4, 3]"),
                        (be, t) -> be.viewRows(t.of(4, 3), 3, 2)),
                bad("copyRows", "copyRows(src [4, 3] rows 2..4, dst [5, 3])", mention("[4, 3]"),
                        (be, t) -> be.copyRows(t.of(4, 3), 2, t.of(5, 3), 0, 3)),
                bad("copyColumns", "copyColumns(src [2, 3], column 1, dst [2, 6] columns 5..7)", mention("[2, 6]"),
                        (be, t) -> be.copyColumns(t.of(2, 3), 1, t.of(2, 6), 5, 2)),
                // a first index near Integer.MAX_VALUE: first + count overflows int, and a check made in int
                // arithmetic passes it (a view or copy at element offset -cols, before the allocation)
                bad("viewRows", "viewRows([4, 3], rows 2147483647..2147483647)", mention("[4, 3]"),
                        (be, t) -> be.viewRows(t.of(4, 3), Integer.MAX_VALUE, 1)),
                bad("copyRows", "copyRows(src [4, 3], dst [5, 3] rows 2147483647..2147483647)", mention("[5, 3]"),
                        (be, t) -> be.copyRows(t.of(4, 3), 0, t.of(5, 3), Integer.MAX_VALUE, 1)),
                bad("copyColumns", "copyColumns(src [2, 3] columns 2147483647..2147483647, dst [2, 6])",
                        mention("[2, 3]"), (be, t) -> be.copyColumns(t.of(2, 3), Integer.MAX_VALUE, t.of(2, 6), 0, 1)),
                bad("gatherRows", "gatherRows(table [5, 3], index 5)", mention("[5, 3]"),
                        (be, t) -> be.gatherRows(t.of(5, 3), new int[] {0, 5}, t.of(2, 3))),
                bad("scatterAddRows", "scatterAddRows(table [5, 3], index -1)", mention("[5, 3]"),
                        (be, t) -> be.scatterAddRows(t.of(2, 3), new int[] {-1, 0}, t.of(5, 3))),
                bad("softmaxCrossEntropy", "softmaxCrossEntropy(logits [2, 3], target 3)", mention("3"),
                        (be, t) -> be.softmaxCrossEntropy(t.of(2, 3), new int[] {0, 3}, t.of(2, 3))),
                bad("softmaxCrossEntropy", "softmaxCrossEntropy(logits [2, 3], 3 targets)", mention("[2, 3]"),
                        (be, t) -> be.softmaxCrossEntropy(t.of(2, 3), new int[] {0, 1, 2}, t.of(2, 3))));
    }

    private static void addClosedTensorChecks(CheckList list) {
        DType dtype = list.dtype();
        list.add("errors", "add with a closed input throws IllegalStateException", (be, verify, random) -> {
            Tensor a = be.allocate(dtype, 2, 3);
            a.close();
            if (!a.isClosed()) {
                throw verify.failure("isClosed() is false after close()");
            }
            a.close(); // closing twice is allowed
            expect(verify, "add(closed a, b, out)", IllegalStateException.class,
                    () -> be.add(a, be.allocate(dtype, 2, 3), be.allocate(dtype, 2, 3)));
        });
        list.add("errors", "gemm into a closed output throws IllegalStateException", (be, verify, random) -> {
            Tensor c = be.allocate(dtype, 2, 2);
            c.close();
            expect(verify, "gemm(a, b, closed c)", IllegalStateException.class,
                    () -> be.gemm(false, false, 1, be.allocate(dtype, 2, 3), be.allocate(dtype, 3, 2), 0, c));
        });
        list.add("errors", "download, upload, fill and viewRows of a closed tensor throw IllegalStateException",
                (be, verify, random) -> {
                    Tensor t = be.allocate(dtype, 2, 3);
                    t.close();
                    expect(verify, "download(closed)", IllegalStateException.class, () -> be.download(t, new double[6]));
                    expect(verify, "upload(into closed)", IllegalStateException.class,
                            () -> be.upload(new double[6], t));
                    expect(verify, "fill(closed)", IllegalStateException.class, () -> be.fill(t, 1));
                    expect(verify, "viewRows(closed)", IllegalStateException.class, () -> be.viewRows(t, 0, 1));
                });
        list.add("errors", "a view of a closed tensor is closed and throws IllegalStateException",
                (be, verify, random) -> {
                    Tensor base = be.allocate(dtype, 4, 3);
                    Tensor view = be.viewRows(base, 1, 2);
                    Tensor reshaped = be.reshape(base, 12);
                    base.close();
                    if (!view.isClosed() || !reshaped.isClosed()) {
                        throw verify.failure("after closing the base, isClosed() of its row view is "
                                + view.isClosed() + " and of its reshape " + reshaped.isClosed());
                    }
                    expect(verify, "fill(view of closed base)", IllegalStateException.class, () -> be.fill(view, 1));
                    expect(verify, "sumOfSquares(reshape of closed base)", IllegalStateException.class,
                            () -> be.sumOfSquares(reshaped));
                });
        list.add("errors", "closing a view leaves the base usable", (be, verify, random) -> {
            try (Tensor base = HostTensor.filled(2, 4, 3).upload(be, dtype)) {
                be.viewRows(base, 1, 2).close();
                be.reshape(base, 12).close();
                verify.tensor("base", HostTensor.filled(2, 4, 3), base);
            }
        });
        list.add("errors", "a tensor of a closed backend is closed and throws IllegalStateException",
                (be, verify, random) -> {
                    Backend other = list.target().create();
                    Tensor t = other.allocate(dtype, 2, 3);
                    other.close();
                    if (!t.isClosed()) {
                        throw verify.failure("isClosed() is false for a tensor of a closed backend");
                    }
                    expect(verify, "download(tensor of a closed backend)", IllegalStateException.class,
                            () -> other.download(t, new double[6]));
                });
        list.add("errors", "lstmStepForward with a closed output throws IllegalStateException",
                (be, verify, random) -> {
                    Tensor h = be.allocate(dtype, 2, 3);
                    h.close();
                    expect(verify, "lstmStepForward(gates, cPrev, c, closed h)", IllegalStateException.class,
                            () -> be.lstmStepForward(be.allocate(dtype, 2, 12), be.allocate(dtype, 2, 3),
                                    be.allocate(dtype, 2, 3), h));
                });
    }

    private static void addForeignTensorChecks(CheckList list) {
        DType dtype = list.dtype();
        list.add("errors", "tensors of another backend instance throw IllegalArgumentException",
                (be, verify, random) -> {
                    try (Backend other = list.target().create()) {
                        Tensor foreign = other.allocate(dtype, 2, 3);
                        expect(verify, "add(a, b of another instance, out)", IllegalArgumentException.class,
                                () -> be.add(be.allocate(dtype, 2, 3), foreign, be.allocate(dtype, 2, 3)));
                        expect(verify, "copy(src of another instance, dst)", IllegalArgumentException.class,
                                () -> be.copy(foreign, be.allocate(dtype, 2, 3)));
                        expect(verify, "download(tensor of another instance)", IllegalArgumentException.class,
                                () -> be.download(foreign, new double[6]));
                        expect(verify, "gemm(a, b, c of another instance)", IllegalArgumentException.class,
                                () -> be.gemm(false, true, 1, be.allocate(dtype, 3, 3), be.allocate(dtype, 2, 3), 0,
                                        foreign));
                    }
                });
        DType otherDType = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        if (list.target().dtypes().contains(otherDType)) {
            list.add("errors", "mixing " + dtype + " and " + otherDType + " throws IllegalArgumentException",
                    (be, verify, random) -> {
                        Tensor mine = be.allocate(dtype, 2, 3);
                        Tensor other = be.allocate(otherDType, 2, 3);
                        expect(verify, "add(" + dtype + ", " + otherDType + ", out)", IllegalArgumentException.class,
                                () -> be.add(mine, other, be.allocate(dtype, 2, 3)));
                        expect(verify, "gemm(" + dtype + ", " + otherDType + ", c)", IllegalArgumentException.class,
                                () -> be.gemm(false, true, 1, mine, other, 0, be.allocate(dtype, 2, 2)));
                    });
        }
    }

    /** Runs {@code call} and returns what it threw, failing unless that is a {@code type}. */
    static <T extends Throwable> T expect(Verifier verify, String call, Class<T> type, Check.CheckBody body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            AssertionError e = verify.failure(call + " should throw " + type.getSimpleName() + " but threw " + t);
            e.initCause(t);
            throw e;
        }
        throw verify.failure(call + " should throw " + type.getSimpleName() + " but returned normally");
    }

    private static List<String> concat(String first, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return Arrays.asList(all);
    }
}
