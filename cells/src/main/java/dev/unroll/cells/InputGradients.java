package dev.unroll.cells;

import dev.unroll.api.Tensor;

/**
 * What {@link RecurrentStack#backward} returns besides the parameter gradients: the gradients with respect to
 * the input and the initial states, in the caller's batch order. Owns its tensors.
 */
public final class InputGradients implements AutoCloseable {
    private final Tensor dx;
    private final Tensor dh0;
    private final Tensor dc0;

    InputGradients(Tensor dx, Tensor dh0, Tensor dc0) {
        this.dx = dx;
        this.dh0 = dh0;
        this.dc0 = dc0;
    }

    /**
     * dL/dx {@code [T, B, inputSize]}; zero past each sequence's length. Null where the backward was asked to skip it
     * ({@link InputGradient#SKIP}).
     */
    public Tensor dx() {
        return dx;
    }

    /**
     * dL/dh0 {@code [L*D, B, H]}. With a learned initial state this is the per-sequence gradient, whose sum over
     * the batch went into the state's parameter.
     */
    public Tensor dh0() {
        return dh0;
    }

    /** dL/dc0 {@code [L*D, B, H]} for LSTM; null for other cells. */
    public Tensor dc0() {
        return dc0;
    }

    @Override
    public void close() {
        if (dx != null) {
            dx.close();
        }
        dh0.close();
        if (dc0 != null) {
            dc0.close();
        }
    }
}
