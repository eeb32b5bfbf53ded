package dev.unroll.training.optim;

import dev.unroll.training.nn.NamedParameter;
import java.util.List;

/**
 * Updates parameters from their gradients. Per-parameter state (momentum buffers, moment estimates) is keyed
 * by parameter name, allocated on the first step on the parameters' backend, and can be saved with
 * {@link #state()} and put back with {@link #restore} so a resumed run continues bit for bit.
 */
public interface Optimizer extends AutoCloseable {

    OptimizerConfig config();

    /**
     * One update of every parameter from its {@code grad()} (left unchanged).
     *
     * @param learningRate this step's rate (the config's rate scaled by a schedule)
     */
    void step(List<NamedParameter> parameters, double learningRate);

    /** Updates done so far. */
    long steps();

    /** A host copy of the complete state. */
    OptimizerState state();

    /**
     * Replaces the state with a saved one (of the same kind); buffers are uploaded on the next step.
     *
     * @throws IllegalArgumentException if the state belongs to another kind of optimizer
     */
    void restore(OptimizerState state);

    /** Releases the state's tensors. */
    @Override
    void close();
}
