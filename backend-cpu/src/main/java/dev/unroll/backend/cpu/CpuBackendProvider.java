package dev.unroll.backend.cpu;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;

/**
 * Provides the {@code cpu} backend (ND4J's native arrays with OpenBLAS), ranked above the pure-Java
 * {@code ejml} backend. Unavailable, with the native loader's message as the reason, where ND4J's natives
 * cannot load (another OS or architecture, a missing system library).
 *
 * <p>Setting: {@value #THREADS_KEY} (environment {@code UNROLL_CPU_THREADS}), the threads for GEMM and the
 * fused element-wise kernels; default all available processors. For speed, start the JVM with
 * {@code OMP_WAIT_POLICY=PASSIVE} and {@code OPENBLAS_NUM_THREADS} equal to that count (see the README).
 */
public final class CpuBackendProvider implements BackendProvider {
    /** The provider name. */
    public static final String NAME = "cpu";
    /** Above ejml (100): native BLAS beats pure Java wherever it loads. */
    public static final int RANK = 200;
    /** The setting for the thread count. */
    public static final String THREADS_KEY = "unroll.cpu.threads";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public Availability availability() {
        return Nd4jRuntime.availability();
    }

    @Override
    public Backend create(BackendSettings settings) {
        int threads = settings.getInt(THREADS_KEY, Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw new IllegalArgumentException(THREADS_KEY + " must be >= 1, but "
                    + settings.setting(THREADS_KEY).map(BackendSettings.Setting::source).orElse("default")
                    + " says " + threads);
        }
        return new CpuBackend(threads);
    }
}
