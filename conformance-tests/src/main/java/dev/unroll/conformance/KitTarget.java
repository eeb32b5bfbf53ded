package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.BackendRegistry;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the kit tests: a named way to make fresh backend instances, and the dtypes to test them in.
 * Every check makes its own backend and closes it, so one check's failure cannot leak into the next.
 *
 * @param name    shown in every failure message, e.g. {@code "ejml"}
 * @param factory makes a new backend instance on each call; the caller closes it
 * @param dtypes  the dtypes to check
 */
public record KitTarget(String name, Supplier<Backend> factory, Set<DType> dtypes) {

    public KitTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        dtypes = Set.copyOf(dtypes);
    }

    /** A backend found on the classpath by provider name, tested in every dtype it supports. */
    public static KitTarget fromClasspath(String backendName) {
        BackendRegistry registry = BackendRegistry.fromClasspath();
        Supplier<Backend> factory = () -> registry.create(backendName);
        return new KitTarget(backendName, factory, supportedDTypes(factory));
    }

    /** The same target tested in other dtypes. */
    public KitTarget withDTypes(Set<DType> chosen) {
        return new KitTarget(name, factory, chosen);
    }

    /** A new backend instance; the caller closes it. */
    public Backend create() {
        return factory.get();
    }

    /** The dtypes a backend made by this factory says it supports. */
    public static Set<DType> supportedDTypes(Supplier<Backend> factory) {
        Set<DType> supported = EnumSet.noneOf(DType.class);
        try (Backend be = factory.get()) {
            for (DType dtype : DType.values()) {
                if (be.supports(dtype)) {
                    supported.add(dtype);
                }
            }
        }
        return supported;
    }
}
