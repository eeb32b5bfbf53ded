package dev.unroll.cells;

import dev.unroll.api.Tensor;

/**
 * One trainable tensor of a {@link RecurrentStack} and its gradient, under its PyTorch {@code state_dict} name
 * ({@code weight_ih_l0}, {@code weight_hh_l1_reverse}, {@code bias_ih_l0}, ...; learned initial states are
 * {@code h0_l{k}[_reverse]} and {@code c0_l{k}[_reverse]}). Both tensors belong to the stack and are closed
 * with it.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    Parameter(String name, Tensor value, Tensor grad) {
        this.name = name;
        this.value = value;
        this.grad = grad;
    }

    public String name() {
        return name;
    }

    /** The value, in PyTorch's layout: weights {@code [G*H, in]} or {@code [G*H, H]}, biases and states {@code [G*H]} / {@code [H]}. */
    public Tensor value() {
        return value;
    }

    /** The gradient, same shape as {@link #value()}, accumulated ({@code +=}) by every backward pass. */
    public Tensor grad() {
        return grad;
    }

    @Override
    public String toString() {
        return name + " " + Tensor.describe(value);
    }
}
