package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.training.nn.ParameterOwner;

/**
 * A model of one of the four sequence tasks: its configuration, its parameters by PyTorch-style names
 * ({@code embedding.weight}, {@code rnn.weight_ih_l0}, {@code head.bias}, ...), and the tensors it owns,
 * freed by {@link #close()}.
 */
public interface SequenceModel extends ParameterOwner, AutoCloseable {

    ModelConfig config();

    Backend backend();

    DType dtype();

    /** Draws every parameter afresh from {@code seed} (PyTorch's default initializations). */
    void initialize(long seed);

    /**
     * How many training forward passes each recurrent stack has run; dropout masks are drawn from this count,
     * so a checkpoint stores it to resume with the same masks.
     */
    long trainingPasses();

    /** Restores {@link #trainingPasses()} from a checkpoint. */
    void restoreTrainingPasses(long passes);

    @Override
    void close();
}
