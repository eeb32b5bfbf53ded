package dev.unroll.api;

/**
 * The order in which a recurrence walks the time steps of a sequence, and so where it keeps its states. A state
 * buffer holds {@code T+1} blocks of {@code B} rows ({@link SequenceSteps}); the rows of every other time-major
 * buffer (gates, outputs, their gradients) belong to time step {@code t} in both directions.
 * <ul>
 *   <li>{@link #FORWARD}: steps {@code t = 0 .. T-1}; step {@code t} reads state block {@code t} and writes block
 *       {@code t+1}; the initial state is block 0, the final one block {@code T}.</li>
 *   <li>{@link #REVERSE}: the reverse direction of a bidirectional layer, steps {@code t = T-1 .. 0}; step
 *       {@code t} reads block {@code t+1} and writes block {@code t}; the initial state is block {@code T}, the
 *       final one block 0.</li>
 * </ul>
 * Either way the state a step writes, block {@link #nextBlock}, is that step's output, and backpropagation walks
 * the steps in the opposite order.
 */
public enum TimeDirection {
    FORWARD,
    REVERSE;

    /** The time step processed {@code s}-th ({@code s = 0} first) in a sequence of {@code steps}. */
    public int time(int s, int steps) {
        return this == FORWARD ? s : steps - 1 - s;
    }

    /** The state block that step {@code t} reads. */
    public int previousBlock(int t) {
        return this == FORWARD ? t : t + 1;
    }

    /** The state block that step {@code t} writes: its output. */
    public int nextBlock(int t) {
        return this == FORWARD ? t + 1 : t;
    }

    /** The state block holding the initial state of a sequence of {@code steps}. */
    public int initialBlock(int steps) {
        return this == FORWARD ? 0 : steps;
    }

    /** The state block holding the final state of a sequence of {@code steps}. */
    public int finalBlock(int steps) {
        return this == FORWARD ? steps : 0;
    }
}
