package dev.unroll.backend.cpu;

import dev.unroll.api.spi.Availability;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * oneDNN's {@code dnnl_sgemm} (org.bytedeco:dnnl), the float32 GEMM of this backend where it loads: on the
 * recurrent layers' skinny products it is 10-30% faster than the OpenBLAS 0.3.19 that ND4J bundles (see
 * docs/PERFORMANCE.md), and it is as fast on the large ones.
 *
 * <p>Every call runs on the calling thread alone; {@link Blas} splits a large product across the backend's
 * own threads. oneDNN would otherwise open an OpenMP team per call, and its split of the per-step product
 * {@code [B, H] x [4H, H]^T} at B = 64 used one core of two. The thread count is OpenMP's per-thread
 * setting, which oneDNN reads on each call; ND4J's {@code setOmpNumThreads} sets it, on the one OpenMP
 * runtime (libgomp) that libnd4j and oneDNN share. Loaded after ND4J, so that runtime is ND4J's.
 */
final class OneDnn {
    private static final LoadOnce AVAILABILITY = new LoadOnce(OneDnn::load);
    /** Set once per thread that calls oneDNN: OpenMP's thread count for that thread's calls is 1. */
    private static final ThreadLocal<Boolean> SINGLE_THREADED = ThreadLocal.withInitial(() -> {
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        return Boolean.TRUE;
    });

    private OneDnn() {
    }

    /** Whether oneDNN loaded beside ND4J, with one OpenMP runtime; otherwise the reason. */
    static Availability availability() {
        return AVAILABILITY.get();
    }

    /** Keeps oneDNN's next calls on the calling thread on that thread alone (see the class comment). */
    static void onThisThreadOnly() {
        SINGLE_THREADED.get();
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c} on row-major operands, on the calling thread; with {@code beta == 0}
     * {@code c} is written, not scaled (NaN in it does not propagate).
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
                      FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        onThisThreadOnly();
        int status = dnnl.dnnl_sgemm((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'), m, n, k, alpha,
                a, lda, b, ldb, beta, c, ldc);
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN dnnl_sgemm failed with status " + status + " for m=" + m
                    + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB);
        }
    }

    private static Availability load() {
        Availability nd4j = Nd4jRuntime.availability();
        if (!nd4j.available()) {
            return nd4j;
        }
        try {
            Loader.load(dnnl.class);
        } catch (Throwable t) {
            return Availability.no("oneDNN (org.bytedeco:dnnl, platform " + Loader.getPlatform()
                    + ") did not load: " + Nd4jRuntime.describe(t));
        }
        long runtimes = openMpRuntimes();
        if (runtimes > 1) {
            // Then the per-thread setting above would reach one runtime and oneDNN might use the other.
            return Availability.no("oneDNN loaded a second OpenMP runtime beside ND4J's (" + runtimes
                    + " libgomp copies mapped), so its thread count cannot be set");
        }
        return Availability.yes();
    }

    /** How many distinct libgomp files this process has mapped (Linux), or 0 where that cannot be read. */
    private static long openMpRuntimes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains("libgomp"))
                    .map(line -> line.substring(line.indexOf('/')))
                    .distinct()
                    .count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
