package dev.unroll.training.model;

import dev.unroll.cells.RecurrentConfig;

/**
 * A {@link LanguageModel}: embedding, unidirectional recurrent stack, dense head over the vocabulary.
 *
 * @param vocabularySize ids in {@code [0, vocabularySize)}
 * @param embeddingSize  embedding width, equal to {@code rnn.inputSize()}
 * @param rnn            the stack (unidirectional: a language model must not see the future)
 * @param beginToken     the id that starts generation "from nothing", or -1 if the vocabulary has none
 */
public record LanguageModelConfig(int vocabularySize, int embeddingSize, RecurrentConfig rnn, int beginToken)
        implements ModelConfig {
    public LanguageModelConfig {
        ModelConfig.requireInputWidth("language model", embeddingSize, rnn);
        if (rnn.bidirectional()) {
            throw new IllegalArgumentException("language model: the recurrent stack must be unidirectional");
        }
        if (beginToken >= vocabularySize) {
            throw new IllegalArgumentException("language model: beginToken " + beginToken
                    + " outside the vocabulary of " + vocabularySize);
        }
    }

    @Override
    public String kind() {
        return "language_model";
    }
}
