package dev.unroll.api.spi;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendSettings;

/**
 * A backend implementation, found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.unroll.api.spi.BackendProvider}. Construction must be cheap and must not
 * load native code; that happens in {@link #availability()} or {@link #create}.
 */
public interface BackendProvider {

    /** The name users choose it by, lower case, e.g. {@code "cpu"}. */
    String name();

    /** Preference when no backend is named: the highest-ranked available one wins. */
    int rank();

    /** Whether it can run here, with the reason when it cannot. May load native libraries; is cached by callers. */
    Availability availability();

    /** A new backend instance; only called when available. */
    Backend create(BackendSettings settings);
}
