package dev.unroll.training.model;

/**
 * A model the {@link dev.unroll.training.loop.Trainer} can train on batches of type {@code B}.
 *
 * @param <B> the batch type, e.g. {@link ClassificationBatch}
 */
public interface Trainable<B> extends SequenceModel {

    /** Back-propagate through every step (full BPTT). */
    int ALL_STEPS = Integer.MAX_VALUE;

    /**
     * Forward in training mode, the batch's mean loss, and backward: ADDS the loss's gradient to every
     * parameter's {@code grad()} (zeroing is the caller's step).
     *
     * @param backpropSteps truncated BPTT: back-propagate through the last {@code backpropSteps} steps of the
     *                      batch only, counted from the batch's last (padded) step, not from each sequence's own
     *                      end: in a batch of several lengths a sequence that ends more than this many steps before
     *                      the longest one gets no gradient (its loss still counts in the mean), so batches of
     *                      similar lengths suit it; {@link #ALL_STEPS} for full BPTT
     * @return the mean loss (PyTorch's mean reduction over the counted targets)
     */
    double lossAndGradients(B batch, int backpropSteps);

    /**
     * The batch's mean loss in evaluation mode (no dropout, no gradients). It never changes the hidden state that
     * training carries between batches: a stateful model keeps a separate one for evaluation.
     */
    double loss(B batch);

    /** Forgets any hidden state carried from earlier batches (see {@link TimeSplittable}). */
    default void resetState() {
    }
}
