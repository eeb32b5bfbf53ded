package dev.unroll.training.model;

import dev.unroll.cells.RecurrentConfig;

/**
 * A {@link SequenceRegressor}: like a classifier, with {@code outputs} real values per sequence and mean
 * squared error.
 *
 * @param input   tokens or dense features
 * @param rnn     the stack; its {@code inputSize} equals {@code input.width()}
 * @param outputs values predicted per sequence
 */
public record RegressorConfig(InputSpec input, RecurrentConfig rnn, int outputs) implements ModelConfig {
    public RegressorConfig {
        ModelConfig.requireInputWidth("regressor", input.width(), rnn);
        if (outputs < 1) {
            throw new IllegalArgumentException("regressor: outputs must be >= 1, was " + outputs);
        }
    }

    @Override
    public String kind() {
        return "regressor";
    }
}
