package dev.unroll.backend.ejml;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;
import org.ejml.concurrency.EjmlConcurrency;

/**
 * Finds {@link EjmlBackend} through {@link java.util.ServiceLoader}: name {@value EjmlBackend#NAME}, always
 * available (pure Java), ranked below native backends.
 *
 * <p>Setting {@value #THREADS_KEY}: the number of threads of EJML's concurrent GEMM. 1 makes every GEMM
 * single-threaded; a larger value sets EJML's thread pool size, which is global to the JVM (EJML keeps one
 * pool); unset leaves EJML's default, one thread per core.
 */
public final class EjmlBackendProvider implements BackendProvider {
    /** The setting that sizes EJML's GEMM thread pool. */
    public static final String THREADS_KEY = "unroll.ejml.threads";

    /** Below native backends (ND4J's BLAS and CUDA are faster), above nothing: it always works. */
    static final int RANK = 100;

    @Override
    public String name() {
        return EjmlBackend.NAME;
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Backend create(BackendSettings settings) {
        int threads = settings.getInt(THREADS_KEY, 0);
        if (settings.get(THREADS_KEY).isPresent() && threads < 1) {
            throw new IllegalArgumentException(THREADS_KEY + " must be at least 1, but "
                    + settings.setting(THREADS_KEY).orElseThrow().source() + " says " + threads);
        }
        // EJML builds a new pool on every setMaxThreads call (the old one is not shut down): only on a change.
        if (threads > 1 && EjmlConcurrency.getMaxThreads() != threads) {
            EjmlConcurrency.setMaxThreads(threads);
        }
        return new EjmlBackend(threads);
    }

    @Override
    public String toString() {
        return "EjmlBackendProvider[" + EjmlBackend.NAME + "]";
    }
}
