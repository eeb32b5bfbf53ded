package dev.unroll.training.loop;

/**
 * Truncated backpropagation through time (Williams and Peng's TBPTT(k1, k2)): a long batch is cut into windows
 * of {@code forwardSteps} steps, trained one after another with the hidden state carried between them, and each
 * window back-propagates through its last {@code backwardSteps} steps. A batch that cannot be cut
 * (many-to-one, seq2seq) only truncates its backward pass (where the model supports it), to the last k2 steps of
 * the padded batch: a sequence ending earlier than that gets no gradient ({@link
 * dev.unroll.training.model.Trainable#lossAndGradients}).
 *
 * @param forwardSteps  k1, steps per window
 * @param backwardSteps k2, steps each backward pass reaches, at most k1
 */
public record TruncatedBptt(int forwardSteps, int backwardSteps) {
    public TruncatedBptt {
        if (forwardSteps < 1 || backwardSteps < 1 || backwardSteps > forwardSteps) {
            throw new IllegalArgumentException("TBPTT needs 1 <= k2 <= k1, got k1=" + forwardSteps + ", k2="
                    + backwardSteps);
        }
    }

    /** k1 = k2 = {@code steps}: the common form ({@code --tbptt K}). */
    public static TruncatedBptt of(int steps) {
        return new TruncatedBptt(steps, steps);
    }
}
