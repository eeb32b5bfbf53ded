package dev.unroll.backend.cpu;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;

import java.util.Optional;

/**
 * Provides the {@code cpu} backend (ND4J's native arrays; oneDNN float32 GEMMs, OpenBLAS float64), ranked above
 * the pure-Java {@code ejml} backend. Unavailable, with the native loader's message as the reason, where ND4J's
 * natives cannot load (another OS or architecture, a missing system library).
 *
 * <p>Settings: {@value #THREADS_KEY} (environment {@code UNROLL_CPU_THREADS}), the threads for GEMM and the
 * fused element-wise kernels, default all available processors; {@value #GEMM_KEY} ({@code UNROLL_CPU_GEMM}),
 * {@code onednn} or {@code openblas}, the library of the float32 GEMMs, default oneDNN where it loads;
 * {@value #TANH_KEY} ({@code UNROLL_CPU_TANH}), {@code fast} (default) or {@code exact}, the float32 tanh
 * ({@link Float32Tanh}).
 */
public final class CpuBackendProvider implements BackendProvider {
    /** The provider name. */
    public static final String NAME = "cpu";
    /** Above ejml (100): native BLAS beats pure Java wherever it loads. */
    public static final int RANK = 200;
    /** The setting for the thread count. */
    public static final String THREADS_KEY = "unroll.cpu.threads";
    /** The setting for the float32 GEMM library. */
    public static final String GEMM_KEY = "unroll.cpu.gemm";
    /** The setting for the float32 tanh. */
    public static final String TANH_KEY = "unroll.cpu.tanh";

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
        return new CpuBackend(threads, gemmEngine(settings), tanh(settings));
    }

    private static Float32Tanh tanh(BackendSettings settings) {
        Optional<BackendSettings.Setting> setting = settings.setting(TANH_KEY);
        if (setting.isEmpty()) {
            return Float32Tanh.FAST;
        }
        return Float32Tanh.parse(setting.get().value()).orElseThrow(() -> new IllegalArgumentException(
                TANH_KEY + " must be fast or exact, but " + setting.get().source() + " says '"
                        + setting.get().value() + "'"));
    }

    private static GemmEngine gemmEngine(BackendSettings settings) {
        Optional<BackendSettings.Setting> setting = settings.setting(GEMM_KEY);
        if (setting.isEmpty()) {
            return GemmEngine.preferred();
        }
        return GemmEngine.parse(setting.get().value()).orElseThrow(() -> new IllegalArgumentException(
                GEMM_KEY + " must be onednn or openblas, but " + setting.get().source() + " says '"
                        + setting.get().value() + "'"));
    }
}
