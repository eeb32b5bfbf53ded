package dev.unroll.training.model;

import dev.unroll.cells.RecurrentConfig;

/**
 * The configuration of one of the four sequence models: enough to rebuild the model (its parameters' names
 * and shapes) from a checkpoint. {@link #kind()} names the model in checkpoints.
 */
public sealed interface ModelConfig
        permits ClassifierConfig, RegressorConfig, TaggerConfig, LanguageModelConfig, Seq2SeqConfig {

    /** {@code classifier}, {@code regressor}, {@code tagger}, {@code language_model} or {@code seq2seq}. */
    String kind();

    /** Checks that the recurrent stack reads what the input layer writes. */
    static void requireInputWidth(String model, int width, RecurrentConfig rnn) {
        if (rnn.inputSize() != width) {
            throw new IllegalArgumentException(model + ": the recurrent stack's inputSize " + rnn.inputSize()
                    + " must equal the input width " + width);
        }
    }
}
