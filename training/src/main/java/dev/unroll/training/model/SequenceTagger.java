package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradient;

/**
 * Many-to-many aligned tagging: input layer, recurrent stack, and a dense head applied to the stack's output
 * at every step, trained with softmax cross-entropy averaged over the steps that have a tag. Stateful when a
 * batch {@link TaggingBatch#continuesPrevious() continues} the previous one (unidirectional stacks).
 */
public final class SequenceTagger extends EncoderHeadModel implements Trainable<TaggingBatch> {
    private final TaggerConfig config;
    private final CarriedState carried = new CarriedState();

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
        return run(batch, true, backpropSteps);
    }

    @Override
    public double loss(TaggingBatch batch) {
        return run(batch, false, 0);
    }

    private double run(TaggingBatch batch, boolean train, int backpropSteps) {
        SequenceInput in = batch.input();
        boolean continues = batch.continuesPrevious();
        try (SequenceEncoder.Pass pass = encoder.forward(in, carried.hidden(continues, in.batch()),
                carried.cell(continues, in.batch()), train)) {
            carried.keep(pass);
            if (!train) {
                return HeadLosses.crossEntropy(head, pass.output(), batch.tags(), null);
            }
            try (Tensor dy = backend.allocate(dtype, in.steps(), in.batch(), config.rnn().outputSize())) {
                double loss = HeadLosses.crossEntropy(head, pass.output(), batch.tags(), dy);
                pass.backward(dy, null, null, backpropSteps, InputGradient.SKIP).close();
                return loss;
            }
        }
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

    @Override
    public void resetState() {
        carried.close();
    }

    @Override
    public void close() {
        carried.close();
        super.close();
    }
}
