package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;

/**
 * Many-to-many aligned tagging: input layer, recurrent stack, and a dense head applied to the stack's output
 * at every step, trained with softmax cross-entropy averaged over the steps that have a tag. Stateful when a
 * batch {@link TaggingBatch#continuesPrevious() continues} the previous one; only a unidirectional stack may
 * continue: a bidirectional one rejects such a batch, since its reverse direction would start from state that
 * comes from the past. Training and evaluation ({@link #loss}) carry separate states.
 */
public final class SequenceTagger extends PerStepModel implements Trainable<TaggingBatch> {
    private final TaggerConfig config;

    /** Allocates the parameters (zero); call {@link #initialize} or load values. */
    public SequenceTagger(Backend backend, DType dtype, TaggerConfig config) {
        super(backend, dtype, config.input(), config.rnn(), config.tags());
        this.config = config;
    }

    @Override
    public TaggerConfig config() {
        return config;
    }

    @Override
    public double lossAndGradients(TaggingBatch batch, int backpropSteps) {
        return perStepLoss(batch.input(), batch.tags(), batch.continuesPrevious(), true, backpropSteps);
    }

    @Override
    public double loss(TaggingBatch batch) {
        return perStepLoss(batch.input(), batch.tags(), batch.continuesPrevious(), false, 0);
    }

    /**
     * The head's scores, {@code [T, B, tags]} time-major and row-major (zero-state start, evaluation mode); a
     * padded step's scores are the head's bias.
     */
    public double[] logits(SequenceInput input) {
        try (SequenceEncoder.Pass pass = encoder.forward(input, null, null, false)) {
            return HeadLosses.outputs(head, pass.output());
        }
    }

    /** The most likely tag at every step of every sequence, {@code [B][length of sequence b]}. */
    public int[][] predict(SequenceInput input) {
        int batch = input.batch();
        int tags = config.tags();
        double[] logits = logits(input);
        int[][] out = new int[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = new int[input.lengths()[b]];
            for (int t = 0; t < out[b].length; t++) {
                int row = (t * batch + b) * tags;
                out[b][t] = Sampling.argmax(java.util.Arrays.copyOfRange(logits, row, row + tags));
            }
        }
        return out;
    }
}
