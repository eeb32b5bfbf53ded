package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A multiply written as {@code out = a; out *= b}: correct until {@code out} is {@code b}, when it
 * squares {@code a}. In-place calls such as {@code mul(o, h, h)} in an LSTM step hit exactly this.
 */
final class MulOverwritesAliasedInput extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("mul-overwrites-aliased-input",
            "mul(a, b, out) copies a into out first, so with out == b it computes a * a",
            MulOverwritesAliasedInput::new);

    MulOverwritesAliasedInput(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        if (out != a) {
            delegate.copy(a, out);
        }
        delegate.mul(out, out == b ? out : b, out);
    }
}
