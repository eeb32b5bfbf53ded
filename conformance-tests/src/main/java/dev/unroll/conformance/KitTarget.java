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
        KitTarget target = fromClasspath(backendName, Set.of());
        return target.withDTypes(supportedDTypes(target.factory()));
    }

    /**
     * A backend found on the classpath by provider name, tested in the given dtypes. Makes no backend now,
     * so it works where the backend cannot run (the checks then fail, or a caller skips them).
     */
    public static KitTarget fromClasspath(String backendName, Set<DType> dtypes) {
        BackendRegistry registry = BackendRegistry.fromClasspath();
        return new KitTarget(backendName, () -> registry.create(backendName), dtypes);
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
