package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;

import java.util.function.Function;

/**
 * A realistic bug planted into a working backend, to prove the kit notices it.
 *
 * @param name        short, e.g. {@code "gemm-ignores-beta"}
 * @param description one line: what the bug does and where such a bug comes from
 * @param wrap        wraps a working backend into one with the bug; the wrapper owns (and closes) it
 */
public record PlantedFault(String name, String description, Function<Backend, Backend> wrap) {

    /** The faulty backend around {@code working}. */
    public Backend apply(Backend working) {
        return wrap.apply(working);
    }

    @Override
    public String toString() {
        return name + ": " + description;
    }
}
