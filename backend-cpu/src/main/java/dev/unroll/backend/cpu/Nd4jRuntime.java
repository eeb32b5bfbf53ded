package dev.unroll.backend.cpu;

import dev.unroll.api.spi.Availability;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads ND4J's native backend (libnd4jcpu) and the OpenBLAS it links against, once per JVM, and remembers
 * why that failed if it did ({@link LoadOnce}).
 *
 * <p>The float64 GEMMs (and float32 with {@link GemmEngine#OPENBLAS}) call {@code cblas_?gemm} of
 * {@link openblas_nolapack}: that is the same {@code libopenblas.so.0} that ND4J's own BLAS wrapper uses.
 */
final class Nd4jRuntime {
    private static final LoadOnce AVAILABILITY = new LoadOnce(Nd4jRuntime::load);

    private Nd4jRuntime() {
    }

    /** Whether ND4J and OpenBLAS loaded; the reason carries the loader's message when they did not. */
    static Availability availability() {
        return AVAILABILITY.get();
    }

    /** Throws with the loader's reason unless the natives loaded. */
    static void require() {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("backend 'cpu' is unavailable: " + a.reason());
        }
    }

    /**
     * OpenBLAS runs each call on the calling thread ({@link Blas} splits products across the backend's own
     * threads), and libnd4j's OpenMP pool gets {@code threads}. Both settings are process-wide: the last
     * backend created decides.
     */
    static void setThreads(int threads) {
        openblas_nolapack.blas_set_num_threads(1);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }

    private static Availability load() {
        try {
            Loader.load(openblas_nolapack.class);
            // Creating an array forces ND4J's backend discovery and libnd4jcpu's loading.
            Nd4j.create(DataType.FLOAT, new long[] {1}, 'c').close();
            return Availability.yes();
        } catch (Throwable t) {
            return Availability.no("ND4J's native CPU backend (nd4j-native " + ndVersion() + ", platform "
                    + Loader.getPlatform() + ") did not load: " + describe(t));
        }
    }

    private static String ndVersion() {
        Package p = Nd4j.class.getPackage();
        return p == null || p.getImplementationVersion() == null ? "1.0.0-M2.1" : p.getImplementationVersion();
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) {
                sb.append("; caused by ");
            }
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage());
        }
        return sb.toString();
    }
}
