package dev.unroll.training.model;

import dev.unroll.cells.RecurrentConfig;

/**
 * A {@link SequenceClassifier}: input layer, recurrent stack, dense head over the last layer's final hidden
 * state (both directions).
 *
 * @param input   tokens or dense features
 * @param rnn     the stack; its {@code inputSize} equals {@code input.width()}
 * @param classes number of classes
 */
public record ClassifierConfig(InputSpec input, RecurrentConfig rnn, int classes) implements ModelConfig {
    public ClassifierConfig {
        ModelConfig.requireInputWidth("classifier", input.width(), rnn);
        if (classes < 2) {
            throw new IllegalArgumentException("classifier: classes must be >= 2, was " + classes);
        }
    }

    @Override
    public String kind() {
        return "classifier";
    }
}
