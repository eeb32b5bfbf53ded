package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.loss.SoftmaxCrossEntropy;

/**
 * Many-to-one classification: input layer, recurrent stack, and a dense head over the last layer's final
 * hidden state (each sequence's state after its own last step; both directions concatenated), trained with
 * softmax cross-entropy.
 */
public final class SequenceClassifier extends EncoderHeadModel implements Trainable<ClassificationBatch> {
    private final ClassifierConfig config;

    /** Allocates the parameters (zero); call {@link #initialize} or load values. */
    public SequenceClassifier(Backend backend, DType dtype, ClassifierConfig config) {
        super(backend, dtype, config.input(), config.rnn(), config.classes());
        this.config = config;
    }

    @Override
    public ClassifierConfig config() {
        return config;
    }

    @Override
    public double lossAndGradients(ClassificationBatch batch, int backpropSteps) {
        return finalStateLoss(batch.input(), (features, dFeatures) ->
                HeadLosses.crossEntropy(head, features, batch.labels(), dFeatures), true, backpropSteps);
    }

    @Override
    public double loss(ClassificationBatch batch) {
        return finalStateLoss(batch.input(), (features, dFeatures) ->
                HeadLosses.crossEntropy(head, features, batch.labels(), dFeatures), false, 0);
    }

    /** Class probabilities, {@code [B][classes]}. */
    public double[][] probabilities(SequenceInput input) {
        int b = input.batch();
        try (SequenceEncoder.Pass pass = encoder.forward(input, null, null, false);
             Tensor features = lastLayerState(pass, b);
             Tensor logits = backend.allocate(dtype, b, config.classes());
             Tensor probabilities = backend.allocate(dtype, b, config.classes())) {
            head.forward(features, logits);
            SoftmaxCrossEntropy.forward(logits, new int[b], probabilities);
            double[] flat = probabilities.toDoubleArray();
            double[][] out = new double[b][];
            for (int i = 0; i < b; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * config.classes(), (i + 1) * config.classes());
            }
            return out;
        }
    }

    /** The most probable class of each sequence, {@code [B]}. */
    public int[] predict(SequenceInput input) {
        double[][] p = probabilities(input);
        int[] classes = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            classes[i] = Sampling.argmax(p[i]);
        }
        return classes;
    }
}
