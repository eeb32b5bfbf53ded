package dev.unroll.training.model;

import java.util.List;

/**
 * A batch of long sequences that truncated BPTT may cut into consecutive time windows, trained one after
 * another with the hidden state carried from each window into the next (stateful training). The carried state
 * is detached: no gradient flows back across a window boundary.
 *
 * @param <B> the batch type itself
 */
public interface TimeSplittable<B> {

    /** {@code T}: the batch's steps. */
    int steps();

    /**
     * The windows of at most {@code windowSteps} steps, in order; every window but the first
     * {@link #continuesPrevious() continues} the one before.
     */
    List<B> splitTime(int windowSteps);

    /** Whether this batch continues the previous one, so the model starts from its carried final state. */
    boolean continuesPrevious();
}
