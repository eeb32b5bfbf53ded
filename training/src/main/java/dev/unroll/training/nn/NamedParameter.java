package dev.unroll.training.nn;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.Parameter;
import java.util.Objects;

/**
 * One trainable tensor of a model and its gradient, under a PyTorch {@code state_dict}-style dotted name such
 * as {@code rnn.weight_ih_l0}, {@code head.weight} or {@code encoder.embedding.weight}. The tensors belong to
 * the layer that made them and are closed with it.
 *
 * <p>Training needs one parameter type for every layer; cells' {@link Parameter} cannot be constructed
 * outside its package, so recurrent parameters are wrapped here under their module prefix.
 *
 * @param name  dotted name, unique within a model
 * @param value the value (any shape)
 * @param grad  the gradient, same shape as {@code value}, accumulated ({@code +=}) by backward passes
 */
public record NamedParameter(String name, Tensor value, Tensor grad) {

    public NamedParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(grad, "grad");
    }

    /**
     * A new parameter of {@code shape}, value and gradient zero. If the gradient cannot be allocated the value is
     * freed before the exception propagates, so a failed layer constructor leaves nothing allocated.
     */
    public static NamedParameter allocate(Backend backend, DType dtype, String name, int... shape) {
        Tensor value = backend.allocate(dtype, shape);
        try {
            return new NamedParameter(name, value, backend.allocate(dtype, shape));
        } catch (RuntimeException | Error e) {
            value.close();
            throw e;
        }
    }

    /** A recurrent stack's parameter under {@code prefix + "." + name}, e.g. {@code rnn.weight_hh_l0}. */
    public static NamedParameter of(String prefix, Parameter parameter) {
        return new NamedParameter(prefix + "." + parameter.name(), parameter.value(), parameter.grad());
    }

    /** Number of elements. */
    public long size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + " " + Tensor.describe(value);
    }
}
