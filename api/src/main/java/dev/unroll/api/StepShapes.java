package dev.unroll.api;

import java.util.Arrays;

/**
 * Argument checks shared by the fused step operations of {@link Backend}, so a backend that overrides one
 * rejects bad shapes with the same messages as the composite default.
 */
public final class StepShapes {
    private StepShapes() {
    }

    /** Checks {@link Backend#lstmStepForward}'s arguments: {@code gates [B, 4H]}; {@code cPrev, c, h [B, H]}. */
    public static void lstmStepForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h) {
        String op = "lstmStepForward";
        gated(op, 4, arg(op, "gates", gates), arg(op, "cPrev", cPrev), arg(op, "c", c), arg(op, "h", h));
    }

    /**
     * Checks {@link Backend#lstmStepBackward}'s arguments: {@code gates, dGates [B, 4H]};
     * {@code cPrev, c, dh, dc [B, H]}.
     */
    public static void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        String op = "lstmStepBackward";
        Arg g = arg(op, "gates", gates);
        Arg[] states = {arg(op, "cPrev", cPrev), arg(op, "c", c), arg(op, "dh", dh), arg(op, "dc", dc)};
        Arg dg = arg(op, "dGates", dGates);
        gated(op, 4, g, states);
        same(op, g.name, g.tensor, dg.name, dg.tensor);
    }

    /**
     * Checks {@link Backend#gruStepForward}'s arguments: {@code gates, hProj [B, 3H]}; {@code hPrev, h [B, H]}.
     */
    public static void gruStepForward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        String op = "gruStepForward";
        Arg g = arg(op, "gates", gates);
        Arg hp = arg(op, "hProj", hProj);
        Arg[] states = {arg(op, "hPrev", hPrev), arg(op, "h", h)};
        same(op, g.name, g.tensor, hp.name, hp.tensor);
        gated(op, 3, g, states);
    }

    /**
     * Checks {@link Backend#gruStepBackward}'s arguments: {@code gates, hProj, dInput, dHidden [B, 3H]};
     * {@code hPrev, dh [B, H]}.
     */
    public static void gruStepBackward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh, Tensor dInput,
                                       Tensor dHidden) {
        String op = "gruStepBackward";
        Arg g = arg(op, "gates", gates);
        Arg hp = arg(op, "hProj", hProj);
        Arg[] states = {arg(op, "hPrev", hPrev), arg(op, "dh", dh)};
        Arg di = arg(op, "dInput", dInput);
        Arg dhid = arg(op, "dHidden", dHidden);
        same(op, g.name, g.tensor, hp.name, hp.tensor);
        gated(op, 3, g, states);
        same(op, g.name, g.tensor, di.name, di.tensor);
        same(op, g.name, g.tensor, dhid.name, dhid.tensor);
    }

    /** A tensor argument that must not be null: {@link IllegalArgumentException} naming the op and argument. */
    public static Tensor required(String op, String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor '" + name + "' is null");
        }
        return t;
    }

    /** Checks that two tensors have the same matrix shape and dtype. */
    public static void same(String op, String nameA, Tensor a, String nameB, Tensor b) {
        required(op, nameA, a);
        required(op, nameB, b);
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ: " + nameA + " " + Arrays.toString(a.shape())
                    + ", " + nameB + " " + Arrays.toString(b.shape()));
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ: " + nameA + " " + a.dtype() + ", " + nameB
                    + " " + b.dtype());
        }
    }

    /** A tensor argument under the name its op's signature gives it. */
    private record Arg(String name, Tensor tensor) {
    }

    /**
     * Argument {@code name} of {@code op}, refused at once if null: each op takes every argument before it reads
     * any shape, so a null one is named, not a NullPointerException from reading its shape.
     */
    private static Arg arg(String op, String name, Tensor t) {
        return new Arg(name, required(op, name, t));
    }

    /** {@code gates [B, gateCount*H]} and every state {@code [B, H]}, all of one dtype; the first state sets B, H. */
    private static void gated(String op, int gateCount, Arg gates, Arg... states) {
        Tensor first = states[0].tensor;
        int hidden = first.cols();
        int batch = first.rows();
        if (gates.tensor.cols() != gateCount * hidden || gates.tensor.rows() != batch) {
            throw new IllegalArgumentException(op + ": gates has shape " + Arrays.toString(gates.tensor.shape())
                    + " but expected [" + batch + ", " + gateCount * hidden + "] (" + gateCount
                    + " gates of hidden size " + hidden + " for " + states[0].name + " "
                    + Arrays.toString(first.shape()) + ")");
        }
        for (int i = 1; i < states.length; i++) {
            same(op, states[0].name, first, states[i].name, states[i].tensor);
        }
        for (Arg s : states) {
            if (s.tensor.dtype() != gates.tensor.dtype()) {
                throw new IllegalArgumentException(op + ": dtypes differ: gates " + gates.tensor.dtype() + ", "
                        + s.name + " " + s.tensor.dtype());
            }
        }
    }
}
