package dev.unroll.api;

/**
 * The reference implementations of the whole-sequence operations: the per-step loops a layer runs forward and
 * backward, built from {@link Backend}'s GEMM and fused step operations. They are the defaults of
 * {@link Backend#lstmSequenceForward}, {@link Backend#gruSequenceForward}, {@link Backend#rnnSequenceForward} and
 * their {@code ...SequenceBackward} mirrors; a backend that overrides one (a persistent GPU kernel, say) must agree
 * with them, which the conformance kit checks through the cells.
 *
 * <p>Layout shared by all three: {@code T} steps of {@code B} rows, time-major. A state buffer holds {@code T+1}
 * blocks of {@code B} rows: forward, block 0 is the initial state and block {@code t+1} the state after step
 * {@code t}; in the {@link TimeDirection#REVERSE} direction, block {@code T} is the initial state and block {@code t}
 * the state after step {@code t}.
 *
 * <p>Variable-length batches: with {@code activeRows} (one count per time step, the batch sorted longest first), step
 * {@code t} runs rows {@code [0, activeRows[t])} only; the other rows' states carry over unchanged from the block the
 * step reads to the block it writes, and backward their dL/dh (and dL/dc) passes the step unchanged. Null: every
 * row runs every step.
 */
public final class SequenceSteps {
    private SequenceSteps() {
    }

    /**
     * Checks the arguments of a whole-sequence call and returns its number of steps {@code T}: a direction,
     * {@code activeRows} null or {@code T} counts in {@code [0, B]}, {@code states} {@code [(T+1)*B, H]},
     * {@code gates} {@code [T*B, gateCount*H]}, {@code weightHh} {@code [gateCount*H, H]}.
     */
    public static int steps(String op, TimeDirection direction, int[] activeRows, int gateCount, Tensor gates,
                            Tensor weightHh, Tensor states) {
        if (direction == null) {
            throw new IllegalArgumentException(op + ": direction is null (FORWARD or REVERSE)");
        }
        StepShapes.required(op, "gates", gates);
        StepShapes.required(op, "weightHh", weightHh);
        int hidden = StepShapes.required(op, "states", states).cols();
        if (weightHh.rows() != gateCount * hidden || weightHh.cols() != hidden) {
            throw new IllegalArgumentException(op + ": weightHh is " + shape(weightHh) + " but must be ["
                    + gateCount * hidden + ", " + hidden + "] for states " + shape(states));
        }
        if (gates.cols() != gateCount * hidden) {
            throw new IllegalArgumentException(op + ": gates is " + shape(gates) + " but must have "
                    + gateCount * hidden + " columns for states " + shape(states));
        }
        int batchRows = states.rows() - gates.rows();
        if (batchRows < 1 || gates.rows() % batchRows != 0) {
            throw new IllegalArgumentException(op + ": states " + shape(states) + " must hold one more block of B rows"
                    + " than gates " + shape(gates) + " (states [(T+1)*B, H], gates [T*B, G*H])");
        }
        int steps = gates.rows() / batchRows;
        if (activeRows != null) {
            if (activeRows.length != steps) {
                throw new IllegalArgumentException(op + ": activeRows holds " + activeRows.length + " counts but the"
                        + " sequence has " + steps + " steps (gates " + shape(gates) + ", B = " + batchRows + ")");
            }
            for (int t = 0; t < steps; t++) {
                if (activeRows[t] < 0 || activeRows[t] > batchRows) {
                    throw new IllegalArgumentException(op + ": activeRows[" + t + "] = " + activeRows[t]
                            + " is outside [0, " + batchRows + "], the batch");
                }
            }
        }
        return steps;
    }

    /**
     * Checks a GRU sequence's {@code hiddenProjection} (shaped like {@code gates}) and {@code biasHh} (3H values, or
     * null).
     */
    public static void gruBuffers(String op, Tensor gates, Tensor hiddenProjection, Tensor biasHh) {
        StepShapes.same(op, "gates", gates, "hiddenProjection", hiddenProjection);
        if (biasHh != null && biasHh.size() != gates.cols()) {
            throw new IllegalArgumentException(op + ": biasHh holds " + biasHh.size() + " values but must hold "
                    + gates.cols() + " for gates " + shape(gates));
        }
    }

    /** Checks the arguments of {@link Backend#lstmSequenceForward} and returns its number of steps. */
    public static int lstmForwardSteps(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                       Tensor states, Tensor cells) {
        int steps = steps("lstmSequenceForward", direction, activeRows, 4, gates, weightHh, states);
        StepShapes.same("lstmSequenceForward", "states", states, "cells", cells);
        return steps;
    }

    /** Checks the arguments of {@link Backend#gruSequenceForward} and returns its number of steps. */
    public static int gruForwardSteps(TimeDirection direction, int[] activeRows, Tensor gates,
                                      Tensor hiddenProjection, Tensor weightHh, Tensor biasHh, Tensor states) {
        int steps = steps("gruSequenceForward", direction, activeRows, 3, gates, weightHh, states);
        gruBuffers("gruSequenceForward", gates, hiddenProjection, biasHh);
        return steps;
    }

    /** Checks the arguments of {@link Backend#rnnSequenceForward} and returns its number of steps. */
    public static int rnnForwardSteps(TimeDirection direction, int[] activeRows, Activation activation,
                                      Tensor gates, Tensor weightHh, Tensor states) {
        requireRnnActivation("rnnSequenceForward", activation);
        return steps("rnnSequenceForward", direction, activeRows, 1, gates, weightHh, states);
    }

    private static String shape(Tensor t) {
        return "[" + t.rows() + ", " + t.cols() + "]";
    }

    /** The first {@code count} rows of block {@code index} (of {@code batch} rows) of a time-major buffer. */
    private static Tensor rows(Backend be, Tensor sequence, int index, int batch, int count) {
        return be.viewRows(sequence, index * batch, count);
    }

    /** How many rows run at time {@code t}. */
    private static int active(int[] activeRows, int t, int batch) {
        return activeRows == null ? batch : activeRows[t];
    }

    /** The rows past {@code active} keep their state: block {@code from}'s rows copied into block {@code to}. */
    private static void carry(Backend be, Tensor states, int from, int to, int active, int batch) {
        if (active < batch) {
            be.copyRows(states, from * batch + active, states, to * batch + active, batch - active);
        }
    }

    /** One forward step of a cell: time {@code t} reads state block {@code previous}, writes {@code next}. */
    private interface ForwardStep {
        void run(int t, int previous, int next, int rows);
    }

    /**
     * Walks the steps in {@code direction}'s order, running {@code step} on the rows that run at each (if any), then
     * carrying the other rows of every state buffer in {@code carried} from the block read to the block written.
     */
    private static void walkForward(Backend be, TimeDirection direction, int[] activeRows, int steps, int batch,
                                     ForwardStep step, Tensor... carried) {
        for (int s = 0; s < steps; s++) {
            int t = direction.time(s, steps);
            int previous = direction.previousBlock(t);
            int next = direction.nextBlock(t);
            int n = active(activeRows, t, batch);
            if (n > 0) {
                step.run(t, previous, next, n);
            }
            for (Tensor states : carried) {
                carry(be, states, previous, next, n, batch);
            }
        }
    }

    /** One backward step of a cell on the first {@code dh.rows()} rows of time {@code t}, dOutput already added. */
    private interface BackwardStep {
        void run(int t, Tensor dh);
    }

    /**
     * Walks the steps in the reverse of {@code direction}'s order; at each step with rows that run, adds their
     * {@code dOutput_t} to their rows of {@code dHidden} and runs {@code step}. The other rows' gradients pass.
     */
    private static void walkBackward(Backend be, TimeDirection direction, int[] activeRows, int steps,
                                      Tensor dOutput, Tensor dHidden, BackwardStep step) {
        int batch = dHidden.rows();
        for (int s = steps - 1; s >= 0; s--) {
            int t = direction.time(s, steps);
            int n = active(activeRows, t, batch);
            if (n > 0) {
                Tensor dh = rows(be, dHidden, 0, batch, n);
                if (dOutput != null) {
                    be.add(dh, rows(be, dOutput, t, batch, n), dh);
                }
                step.run(t, dh);
            }
        }
    }

    /** See {@link Backend#lstmSequenceForward}. */
    public static void lstmForward(Backend be, TimeDirection direction, int[] activeRows, Tensor gates,
                                   Tensor weightHh, Tensor states, Tensor cells) {
        lstmForwardSteps(direction, activeRows, gates, weightHh, states, cells); // before the product reads them
        try (RecurrentProduct product = be.recurrentProduct(weightHh, states.rows() - gates.rows())) {
            lstmForward(be, direction, activeRows, gates, weightHh, product, states, cells);
        }
    }

    /**
     * As {@link #lstmForward(Backend, TimeDirection, int[], Tensor, Tensor, Tensor, Tensor)}, each step's product by
     * {@code product}.
     */
    public static void lstmForward(Backend be, TimeDirection direction, int[] activeRows, Tensor gates,
                                   Tensor weightHh, RecurrentProduct product, Tensor states, Tensor cells) {
        int steps = lstmForwardSteps(direction, activeRows, gates, weightHh, states, cells);
        int batch = gates.rows() / steps;
        walkForward(be, direction, activeRows, steps, batch, (t, previous, next, n) -> {
            Tensor g = rows(be, gates, t, batch, n);
            product.addTo(rows(be, states, previous, batch, n), g);
            be.lstmStepForward(g, rows(be, cells, previous, batch, n), rows(be, cells, next, batch, n),
                    rows(be, states, next, batch, n));
        }, states, cells);
    }

    /** See {@link Backend#gruSequenceForward}. */
    public static void gruForward(Backend be, TimeDirection direction, int[] activeRows, Tensor gates,
                                  Tensor hiddenProjection, Tensor weightHh, Tensor biasHh, Tensor states) {
        gruForwardSteps(direction, activeRows, gates, hiddenProjection, weightHh, biasHh, states);
        try (RecurrentProduct product = be.recurrentProduct(weightHh, states.rows() - gates.rows())) {
            gruForward(be, direction, activeRows, gates, hiddenProjection, weightHh, product, biasHh, states);
        }
    }

    /**
     * As {@link #gruForward(Backend, TimeDirection, int[], Tensor, Tensor, Tensor, Tensor, Tensor)}, each step's
     * product by {@code product}.
     */
    public static void gruForward(Backend be, TimeDirection direction, int[] activeRows, Tensor gates,
                                  Tensor hiddenProjection, Tensor weightHh, RecurrentProduct product, Tensor biasHh,
                                  Tensor states) {
        int steps = gruForwardSteps(direction, activeRows, gates, hiddenProjection, weightHh, biasHh, states);
        int batch = gates.rows() / steps;
        // the bias first, so each step's GEMM adds onto it (beta 1): one pass for all steps
        be.fill(hiddenProjection, 0);
        if (biasHh != null) {
            be.addRowVector(hiddenProjection, biasHh, hiddenProjection);
        }
        walkForward(be, direction, activeRows, steps, batch, (t, previous, next, n) -> {
            Tensor hPrev = rows(be, states, previous, batch, n);
            Tensor hProj = rows(be, hiddenProjection, t, batch, n);
            product.addTo(hPrev, hProj);
            be.gruStepForward(rows(be, gates, t, batch, n), hProj, hPrev, rows(be, states, next, batch, n));
        }, states);
    }

    /** See {@link Backend#rnnSequenceForward}. */
    public static void rnnForward(Backend be, TimeDirection direction, int[] activeRows, Activation activation,
                                  Tensor gates, Tensor weightHh, Tensor states) {
        rnnForwardSteps(direction, activeRows, activation, gates, weightHh, states);
        try (RecurrentProduct product = be.recurrentProduct(weightHh, states.rows() - gates.rows())) {
            rnnForward(be, direction, activeRows, activation, gates, weightHh, product, states);
        }
    }

    /**
     * As {@link #rnnForward(Backend, TimeDirection, int[], Activation, Tensor, Tensor, Tensor)}, each step's product
     * by {@code product}.
     */
    public static void rnnForward(Backend be, TimeDirection direction, int[] activeRows, Activation activation,
                                  Tensor gates, Tensor weightHh, RecurrentProduct product, Tensor states) {
        int steps = rnnForwardSteps(direction, activeRows, activation, gates, weightHh, states);
        int batch = gates.rows() / steps;
        walkForward(be, direction, activeRows, steps, batch, (t, previous, next, n) -> {
            Tensor pre = rows(be, gates, t, batch, n);
            product.addTo(rows(be, states, previous, batch, n), pre);
            be.activate(activation, pre, rows(be, states, next, batch, n));
        }, states);
    }

    /** A vanilla RNN's activation: TANH or RELU. */
    private static void requireRnnActivation(String op, Activation activation) {
        if (activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException(op + ": a vanilla RNN uses TANH or RELU, not " + activation);
        }
    }

    /**
     * Checks the arguments of a whole-sequence backward call and returns its number of steps {@code T}: as
     * {@link #steps}, with {@code dGates} {@code [T*B, gateCount*H]} in place of the gates, {@code dHidden}
     * {@code [B, H]} and {@code dOutput} {@code [T*B, H]} or null.
     */
    public static int backwardSteps(String op, TimeDirection direction, int[] activeRows, int gateCount,
                                    Tensor dGates, Tensor weightHh, Tensor states, Tensor dOutput, Tensor dHidden) {
        int steps = steps(op, direction, activeRows, gateCount, dGates, weightHh, states);
        int batch = states.rows() - dGates.rows();
        if (StepShapes.required(op, "dHidden", dHidden).rows() != batch || dHidden.cols() != states.cols()) {
            throw new IllegalArgumentException(op + ": dHidden is " + shape(dHidden) + " but must be [" + batch + ", "
                    + states.cols() + "], one block of states " + shape(states));
        }
        if (dOutput != null && (dOutput.rows() != dGates.rows() || dOutput.cols() != states.cols())) {
            throw new IllegalArgumentException(op + ": dOutput is " + shape(dOutput) + " but must be ["
                    + dGates.rows() + ", " + states.cols() + "], one row per row of dGates " + shape(dGates));
        }
        return steps;
    }

    /** Checks the arguments of {@link Backend#lstmSequenceBackward} and returns its number of steps. */
    public static int lstmBackwardSteps(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                        Tensor cells, Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        String op = "lstmSequenceBackward";
        int steps = backwardSteps(op, direction, activeRows, 4, dGates, weightHh, cells, dOutput, dHidden);
        StepShapes.same(op, "gates", gates, "dGates", dGates);
        StepShapes.same(op, "dHidden", dHidden, "dCell", dCell);
        return steps;
    }

    /** Checks the arguments of {@link Backend#gruSequenceBackward} and returns its number of steps. */
    public static int gruBackwardSteps(TimeDirection direction, int[] activeRows, Tensor gates,
                                       Tensor hiddenProjection, Tensor weightHh, Tensor states, Tensor dOutput,
                                       Tensor dGates, Tensor dHiddenProjection, Tensor dHidden) {
        String op = "gruSequenceBackward";
        int steps = backwardSteps(op, direction, activeRows, 3, dGates, weightHh, states, dOutput, dHidden);
        StepShapes.same(op, "gates", gates, "dGates", dGates);
        StepShapes.same(op, "hiddenProjection", hiddenProjection, "dGates", dGates);
        StepShapes.same(op, "dHiddenProjection", dHiddenProjection, "dGates", dGates);
        return steps;
    }

    /** Checks the arguments of {@link Backend#rnnSequenceBackward} and returns its number of steps. */
    public static int rnnBackwardSteps(TimeDirection direction, int[] activeRows, Activation activation,
                                       Tensor weightHh, Tensor states, Tensor dOutput, Tensor dGates, Tensor dHidden) {
        requireRnnActivation("rnnSequenceBackward", activation);
        return backwardSteps("rnnSequenceBackward", direction, activeRows, 1, dGates, weightHh, states, dOutput,
                dHidden);
    }

    /** See {@link Backend#lstmSequenceBackward}. */
    public static void lstmBackward(Backend be, TimeDirection direction, int[] activeRows, Tensor gates,
                                    Tensor weightHh, Tensor cells, Tensor dOutput, Tensor dGates, Tensor dHidden,
                                    Tensor dCell) {
        int steps = lstmBackwardSteps(direction, activeRows, gates, weightHh, cells, dOutput, dGates, dHidden, dCell);
        int batch = dHidden.rows();
        walkBackward(be, direction, activeRows, steps, dOutput, dHidden, (t, dh) -> {
            int n = dh.rows();
            Tensor dg = rows(be, dGates, t, batch, n);
            be.lstmStepBackward(rows(be, gates, t, batch, n), rows(be, cells, direction.previousBlock(t), batch, n),
                    rows(be, cells, direction.nextBlock(t), batch, n), dh, rows(be, dCell, 0, batch, n), dg);
            be.gemm(false, false, 1, dg, weightHh, 0, dh);
        });
    }

    /** See {@link Backend#gruSequenceBackward}. */
    public static void gruBackward(Backend be, TimeDirection direction, int[] activeRows, Tensor gates,
                                   Tensor hiddenProjection, Tensor weightHh, Tensor states, Tensor dOutput,
                                   Tensor dGates, Tensor dHiddenProjection, Tensor dHidden) {
        int steps = gruBackwardSteps(direction, activeRows, gates, hiddenProjection, weightHh, states, dOutput,
                dGates, dHiddenProjection, dHidden);
        int batch = dHidden.rows();
        walkBackward(be, direction, activeRows, steps, dOutput, dHidden, (t, dh) -> {
            int n = dh.rows();
            Tensor dProjection = rows(be, dHiddenProjection, t, batch, n);
            be.gruStepBackward(rows(be, gates, t, batch, n), rows(be, hiddenProjection, t, batch, n),
                    rows(be, states, direction.previousBlock(t), batch, n), dh, rows(be, dGates, t, batch, n),
                    dProjection);
            be.gemm(false, false, 1, dProjection, weightHh, 1, dh);
        });
    }

    /** See {@link Backend#rnnSequenceBackward}. */
    public static void rnnBackward(Backend be, TimeDirection direction, int[] activeRows, Activation activation,
                                   Tensor weightHh, Tensor states, Tensor dOutput, Tensor dGates, Tensor dHidden) {
        int steps = rnnBackwardSteps(direction, activeRows, activation, weightHh, states, dOutput, dGates, dHidden);
        int batch = dHidden.rows();
        walkBackward(be, direction, activeRows, steps, dOutput, dHidden, (t, dh) -> {
            int n = dh.rows();
            Tensor dPre = rows(be, dGates, t, batch, n);
            be.activateBackward(activation, rows(be, states, direction.nextBlock(t), batch, n), dh, dPre);
            be.gemm(false, false, 1, dPre, weightHh, 0, dh);
        });
    }

}
