package dev.unroll.api.config;

import dev.unroll.api.Backend;

/**
 * The plain factory for backends found on the classpath. Choosing by configuration, in order: an explicit
 * name in code, system property {@code unroll.backend}, environment {@code UNROLL_BACKEND},
 * {@code unroll.backend} in {@code unroll.properties} on the classpath, else the best-ranked available
 * backend.
 *
 * <pre>{@code
 * try (Backend be = Backends.fromConfiguration()) { ... }
 * try (Backend be = Backends.create("ejml")) { ... }
 * }</pre>
 */
public final class Backends {
    private Backends() {
    }

    /** Creates the named backend, or fails listing the known backends and why unavailable ones are. */
    public static Backend create(String name) {
        return BackendRegistry.fromClasspath().create(name);
    }

    /** Creates the backend the configuration chooses. */
    public static Backend fromConfiguration() {
        return BackendRegistry.fromClasspath().createConfigured();
    }

    /** Creates {@code explicitName} if not null or blank, else the backend the configuration chooses. */
    public static Backend fromConfiguration(String explicitName) {
        BackendRegistry registry = BackendRegistry.fromClasspath();
        return registry.create(registry.select(explicitName));
    }

    /** Every backend on the classpath, one line each: name, rank, available or why not. */
    public static String describe() {
        return BackendRegistry.fromClasspath().describe();
    }
}
