package dev.unroll.training.nn;

import java.util.List;

/** Something with trainable parameters: a layer or a whole model. */
public interface ParameterOwner {

    /** Every parameter, in a fixed order (the order of a PyTorch {@code state_dict}). */
    List<NamedParameter> parameters();

    /** Sets every gradient to zero; backward passes accumulate into them. */
    default void zeroGrad() {
        for (NamedParameter p : parameters()) {
            p.grad().backend().fill(p.grad(), 0.0);
        }
    }

    /** The parameter called {@code name}, or an exception listing the known names. */
    default NamedParameter parameter(String name) {
        for (NamedParameter p : parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("No parameter '" + name + "'; known: "
                + parameters().stream().map(NamedParameter::name).toList());
    }
}
