package dev.unroll.api;

import java.util.Arrays;

/**
 * Argument checks shared by the fused step operations of {@link Backend}, so a backend that overrides one
 * rejects bad shapes with the same messages as the composite default.
 */
public final class StepShapes {
    private StepShapes() {
    }

    /** Checks an LSTM step: {@code gates [B, 4H]} and every state tensor {@code [B, H]}. */
    public static void lstm(String op, Tensor gates, Tensor... states) {
        gated(op, 4, gates, states);
    }

    /** Checks a GRU step: {@code gates} and {@code hProj} {@code [B, 3H]}, every state tensor {@code [B, H]}. */
    public static void gru(String op, Tensor gates, Tensor hProj, Tensor... states) {
        same(op, "gates", gates, "hProj", hProj);
        gated(op, 3, gates, states);
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

    private static void gated(String op, int gateCount, Tensor gates, Tensor... states) {
        // every argument before any shape: a null one is named, not a NullPointerException from reading its shape
        required(op, "gates", gates);
        for (int i = 0; i < states.length; i++) {
            required(op, "state " + i, states[i]);
        }
        if (states.length == 0) {
            return;
        }
        int hidden = states[0].cols();
        int batch = states[0].rows();
        if (gates.cols() != gateCount * hidden || gates.rows() != batch) {
            throw new IllegalArgumentException(op + ": gates has shape " + Arrays.toString(gates.shape())
                    + " but expected [" + batch + ", " + gateCount * hidden + "] (" + gateCount
                    + " gates of hidden size " + hidden + " for state " + Arrays.toString(states[0].shape()) + ")");
        }
        for (int i = 1; i < states.length; i++) {
            same(op, "state 0", states[0], "state " + i, states[i]);
        }
        for (Tensor s : states) {
            if (s.dtype() != gates.dtype()) {
                throw new IllegalArgumentException(op + ": dtypes differ: gates " + gates.dtype() + ", state "
                        + s.dtype());
            }
        }
    }
}
