package dev.unroll.training.model;

import dev.unroll.cells.RecurrentConfig;

/**
 * A {@link SequenceTagger}: input layer, recurrent stack, dense head applied at every step.
 *
 * @param input tokens or dense features
 * @param rnn   the stack; its {@code inputSize} equals {@code input.width()}
 * @param tags  number of tags
 */
public record TaggerConfig(InputSpec input, RecurrentConfig rnn, int tags) implements ModelConfig {
    public TaggerConfig {
        ModelConfig.requireInputWidth("tagger", input.width(), rnn);
        if (tags < 1) {
            throw new IllegalArgumentException("tagger: tags must be >= 1, was " + tags);
        }
    }

    @Override
    public String kind() {
        return "tagger";
    }
}
