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
 */
public final class SequenceSteps {
    private SequenceSteps() {
    }

    /**
     * Checks the arguments of a whole-sequence call and returns its number of steps {@code T}: a direction,
     * {@code states} {@code [(T+1)*B, H]}, {@code gates} {@code [T*B, gateCount*H]}, {@code weightHh}
     * {@code [gateCount*H, H]}.
     */
    public static int steps(String op, TimeDirection direction, int gateCount, Tensor gates, Tensor weightHh,
                            Tensor states) {
        if (direction == null) {
            throw new IllegalArgumentException(op + ": direction is null (FORWARD or REVERSE)");
        }
        int hidden = states.cols();
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
        return gates.rows() / batchRows;
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
    public static int lstmForwardSteps(TimeDirection direction, Tensor gates, Tensor weightHh, Tensor states,
                                       Tensor cells) {
        int steps = steps("lstmSequenceForward", direction, 4, gates, weightHh, states);
        StepShapes.same("lstmSequenceForward", "states", states, "cells", cells);
        return steps;
    }

    /** Checks the arguments of {@link Backend#gruSequenceForward} and returns its number of steps. */
    public static int gruForwardSteps(TimeDirection direction, Tensor gates, Tensor hiddenProjection,
                                      Tensor weightHh, Tensor biasHh, Tensor states) {
        int steps = steps("gruSequenceForward", direction, 3, gates, weightHh, states);
        gruBuffers("gruSequenceForward", gates, hiddenProjection, biasHh);
        return steps;
    }

    /** Checks the arguments of {@link Backend#rnnSequenceForward} and returns its number of steps. */
    public static int rnnForwardSteps(TimeDirection direction, Activation activation, Tensor gates, Tensor weightHh,
                                      Tensor states) {
        requireRnnActivation("rnnSequenceForward", activation);
        return steps("rnnSequenceForward", direction, 1, gates, weightHh, states);
    }

    private static String shape(Tensor t) {
        return "[" + t.rows() + ", " + t.cols() + "]";
    }

    private static Tensor block(Backend be, Tensor sequence, int index, int batch) {
        return be.viewRows(sequence, index * batch, batch);
    }

    /** See {@link Backend#lstmSequenceForward}. */
    public static void lstmForward(Backend be, TimeDirection direction, Tensor gates, Tensor weightHh, Tensor states,
                                   Tensor cells) {
        try (RecurrentProduct product = be.recurrentProduct(weightHh, states.rows() - gates.rows())) {
            lstmForward(be, direction, gates, weightHh, product, states, cells);
        }
    }

    /**
     * As {@link #lstmForward(Backend, TimeDirection, Tensor, Tensor, Tensor, Tensor)}, each step's product by
     * {@code product}.
     */
    public static void lstmForward(Backend be, TimeDirection direction, Tensor gates, Tensor weightHh,
                                   RecurrentProduct product, Tensor states, Tensor cells) {
        int steps = lstmForwardSteps(direction, gates, weightHh, states, cells);
        int batch = gates.rows() / steps;
        for (int s = 0; s < steps; s++) {
            int t = direction.time(s, steps);
            int previous = direction.previousBlock(t);
            int next = direction.nextBlock(t);
            Tensor g = block(be, gates, t, batch);
            product.addTo(block(be, states, previous, batch), g);
            be.lstmStepForward(g, block(be, cells, previous, batch), block(be, cells, next, batch),
                    block(be, states, next, batch));
        }
    }

    /** See {@link Backend#gruSequenceForward}. */
    public static void gruForward(Backend be, TimeDirection direction, Tensor gates, Tensor hiddenProjection,
                                  Tensor weightHh, Tensor biasHh, Tensor states) {
        try (RecurrentProduct product = be.recurrentProduct(weightHh, states.rows() - gates.rows())) {
            gruForward(be, direction, gates, hiddenProjection, weightHh, product, biasHh, states);
        }
    }

    /**
     * As {@link #gruForward(Backend, TimeDirection, Tensor, Tensor, Tensor, Tensor, Tensor)}, each step's product by
     * {@code product}.
     */
    public static void gruForward(Backend be, TimeDirection direction, Tensor gates, Tensor hiddenProjection,
                                  Tensor weightHh, RecurrentProduct product, Tensor biasHh, Tensor states) {
        int steps = gruForwardSteps(direction, gates, hiddenProjection, weightHh, biasHh, states);
        int batch = gates.rows() / steps;
        // the bias first, so each step's GEMM adds onto it (beta 1): one pass for all steps
        be.fill(hiddenProjection, 0);
        if (biasHh != null) {
            be.addRowVector(hiddenProjection, biasHh, hiddenProjection);
        }
        for (int s = 0; s < steps; s++) {
            int t = direction.time(s, steps);
            Tensor hPrev = block(be, states, direction.previousBlock(t), batch);
            Tensor hProj = block(be, hiddenProjection, t, batch);
            product.addTo(hPrev, hProj);
            be.gruStepForward(block(be, gates, t, batch), hProj, hPrev,
                    block(be, states, direction.nextBlock(t), batch));
        }
    }

    /** See {@link Backend#rnnSequenceForward}. */
    public static void rnnForward(Backend be, TimeDirection direction, Activation activation, Tensor gates,
                                  Tensor weightHh, Tensor states) {
        try (RecurrentProduct product = be.recurrentProduct(weightHh, states.rows() - gates.rows())) {
            rnnForward(be, direction, activation, gates, weightHh, product, states);
        }
    }

    /**
     * As {@link #rnnForward(Backend, TimeDirection, Activation, Tensor, Tensor, Tensor)}, each step's product by
     * {@code product}.
     */
    public static void rnnForward(Backend be, TimeDirection direction, Activation activation, Tensor gates,
                                  Tensor weightHh, RecurrentProduct product, Tensor states) {
        int steps = rnnForwardSteps(direction, activation, gates, weightHh, states);
        int batch = gates.rows() / steps;
        for (int s = 0; s < steps; s++) {
            int t = direction.time(s, steps);
            Tensor pre = block(be, gates, t, batch);
            product.addTo(block(be, states, direction.previousBlock(t), batch), pre);
            be.activate(activation, pre, block(be, states, direction.nextBlock(t), batch));
        }
    }

    /** A vanilla RNN's activation: TANH or RELU. */
    private static void requireRnnActivation(String op, Activation activation) {
        if (activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException(op + ": a vanilla RNN uses TANH or RELU, not " + activation);
        }
    }

    /**
     * Checks the arguments of a whole-sequence backward call and returns its number of steps {@code T}: a direction,
     * {@code states} {@code [(T+1)*B, H]}, {@code dGates} {@code [T*B, gateCount*H]}, {@code weightHh}
     * {@code [gateCount*H, H]}, {@code dHidden} {@code [B, H]} and {@code dOutput} {@code [T*B, H]} or null.
     */
    public static int backwardSteps(String op, TimeDirection direction, int gateCount, Tensor dGates,
                                    Tensor weightHh, Tensor states, Tensor dOutput, Tensor dHidden) {
        int steps = steps(op, direction, gateCount, dGates, weightHh, states);
        int batch = states.rows() - dGates.rows();
        if (dHidden.rows() != batch || dHidden.cols() != states.cols()) {
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
    public static int lstmBackwardSteps(TimeDirection direction, Tensor gates, Tensor weightHh, Tensor cells,
                                        Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        String op = "lstmSequenceBackward";
        int steps = backwardSteps(op, direction, 4, dGates, weightHh, cells, dOutput, dHidden);
        StepShapes.same(op, "gates", gates, "dGates", dGates);
        StepShapes.same(op, "dHidden", dHidden, "dCell", dCell);
        return steps;
    }

    /** Checks the arguments of {@link Backend#gruSequenceBackward} and returns its number of steps. */
    public static int gruBackwardSteps(TimeDirection direction, Tensor gates, Tensor hiddenProjection,
                                       Tensor weightHh, Tensor states, Tensor dOutput, Tensor dGates,
                                       Tensor dHiddenProjection, Tensor dHidden) {
        String op = "gruSequenceBackward";
        int steps = backwardSteps(op, direction, 3, dGates, weightHh, states, dOutput, dHidden);
        StepShapes.same(op, "gates", gates, "dGates", dGates);
        StepShapes.same(op, "hiddenProjection", hiddenProjection, "dGates", dGates);
        StepShapes.same(op, "dHiddenProjection", dHiddenProjection, "dGates", dGates);
        return steps;
    }

    /** Checks the arguments of {@link Backend#rnnSequenceBackward} and returns its number of steps. */
    public static int rnnBackwardSteps(TimeDirection direction, Activation activation, Tensor weightHh,
                                       Tensor states, Tensor dOutput, Tensor dGates, Tensor dHidden) {
        requireRnnActivation("rnnSequenceBackward", activation);
        return backwardSteps("rnnSequenceBackward", direction, 1, dGates, weightHh, states, dOutput, dHidden);
    }

    /** See {@link Backend#lstmSequenceBackward}. */
    public static void lstmBackward(Backend be, TimeDirection direction, Tensor gates, Tensor weightHh, Tensor cells,
                                    Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        int steps = lstmBackwardSteps(direction, gates, weightHh, cells, dOutput, dGates, dHidden, dCell);
        int batch = dHidden.rows();
        for (int s = steps - 1; s >= 0; s--) {
            int t = direction.time(s, steps);
            addOutputGradient(be, dOutput, t, dHidden);
            Tensor dg = block(be, dGates, t, batch);
            be.lstmStepBackward(block(be, gates, t, batch), block(be, cells, direction.previousBlock(t), batch),
                    block(be, cells, direction.nextBlock(t), batch), dHidden, dCell, dg);
            be.gemm(false, false, 1, dg, weightHh, 0, dHidden);
        }
    }

    /** See {@link Backend#gruSequenceBackward}. */
    public static void gruBackward(Backend be, TimeDirection direction, Tensor gates, Tensor hiddenProjection,
                                   Tensor weightHh, Tensor states, Tensor dOutput, Tensor dGates,
                                   Tensor dHiddenProjection, Tensor dHidden) {
        int steps = gruBackwardSteps(direction, gates, hiddenProjection, weightHh, states, dOutput, dGates,
                dHiddenProjection, dHidden);
        int batch = dHidden.rows();
        for (int s = steps - 1; s >= 0; s--) {
            int t = direction.time(s, steps);
            addOutputGradient(be, dOutput, t, dHidden);
            Tensor dProjection = block(be, dHiddenProjection, t, batch);
            be.gruStepBackward(block(be, gates, t, batch), block(be, hiddenProjection, t, batch),
                    block(be, states, direction.previousBlock(t), batch), dHidden, block(be, dGates, t, batch),
                    dProjection);
            be.gemm(false, false, 1, dProjection, weightHh, 1, dHidden);
        }
    }

    /** See {@link Backend#rnnSequenceBackward}. */
    public static void rnnBackward(Backend be, TimeDirection direction, Activation activation, Tensor weightHh,
                                   Tensor states, Tensor dOutput, Tensor dGates, Tensor dHidden) {
        int steps = rnnBackwardSteps(direction, activation, weightHh, states, dOutput, dGates, dHidden);
        int batch = dHidden.rows();
        for (int s = steps - 1; s >= 0; s--) {
            int t = direction.time(s, steps);
            addOutputGradient(be, dOutput, t, dHidden);
            Tensor dPre = block(be, dGates, t, batch);
            be.activateBackward(activation, block(be, states, direction.nextBlock(t), batch), dHidden, dPre);
            be.gemm(false, false, 1, dPre, weightHh, 0, dHidden);
        }
    }

    /** {@code dHidden += dOutput_t}: what reaches step {@code t}'s output state from outside the recurrence. */
    private static void addOutputGradient(Backend be, Tensor dOutput, int t, Tensor dHidden) {
        if (dOutput != null) {
            be.add(dHidden, block(be, dOutput, t, dHidden.rows()), dHidden);
        }
    }
}
