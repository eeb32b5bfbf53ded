package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradient;
import dev.unroll.cells.RecurrentConfig;

/**
 * The tagger and the language model: the head reads the stack's output at every step, the loss is softmax
 * cross-entropy averaged over the steps that have a target, and a batch that continues the previous one (see
 * {@link TimeSplittable}) starts from the state that batch ended in.
 *
 * <p>Training and evaluation carry separate states, so evaluating (e.g. a validation pass between training
 * windows) never changes the state the next training window starts from, and an evaluation in windows
 * continues its own previous window.
 */
abstract class PerStepModel extends EncoderHeadModel {
    private final CarriedState trainingState = new CarriedState();
    private final CarriedState evaluationState = new CarriedState();

    PerStepModel(Backend backend, DType dtype, InputSpec input, RecurrentConfig rnn, int headOutputs) {
        super(backend, dtype, input, rnn, headOutputs);
    }

    /**
     * The mean loss over the steps with a target and, when training, its gradient in every parameter.
     *
     * @param targets       {@code [T * B]} time-major class ids, negative for no target
     * @param continues     whether to start from the state the previous batch (of the same mode) ended in
     * @param backpropSteps truncated BPTT, as in {@link Trainable#lossAndGradients}; unused in evaluation
     */
    double perStepLoss(SequenceInput in, int[] targets, boolean continues, boolean train, int backpropSteps) {
        if (continues && encoder.rnn().bidirectional()) {
            // The reverse direction reads a window from its end back to its start; the state it would carry in
            // is where it stopped in the previous window, i.e. information from the past fed in as the future.
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a bidirectional stack cannot"
                    + " continue the previous batch (truncated BPTT windows, continuesPrevious): its reverse"
                    + " direction would start from the previous window's reverse state, which comes from the past,"
                    + " not the future; train a bidirectional model on whole sequences");
        }
        CarriedState carried = train ? trainingState : evaluationState;
        try (SequenceEncoder.Pass pass = encoder.forward(in, carried.hidden(continues, in.batch()),
                carried.cell(continues, in.batch()), train)) {
            carried.keep(pass);
            if (!train) {
                return HeadLosses.crossEntropy(head, pass.output(), targets, null);
            }
            try (Tensor dy = backend.allocate(dtype, in.steps(), in.batch(), encoder.rnn().outputSize())) {
                double loss = HeadLosses.crossEntropy(head, pass.output(), targets, dy);
                pass.backward(dy, null, null, backpropSteps, InputGradient.SKIP).close();
                return loss;
            }
        }
    }

    /** Forgets the states carried from earlier batches, training's and evaluation's. */
    public void resetState() {
        trainingState.close();
        evaluationState.close();
    }

    @Override
    public void close() {
        resetState();
        super.close();
    }
}
