package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * {@code c = alpha op(a) op(b) + beta c} on row-major tensors: float32 through the {@link GemmEngine} chosen,
 * float64 through OpenBLAS, each library call on one thread. A product worth it is split into bands of
 * {@code c} (columns, or rows where {@code c} is taller than wide), one per thread of the backend's
 * {@link RangeExecutor}: the libraries' own threading split the per-step products worse (oneDNN's used one
 * core of two on {@code [64, 512] x [2048, 512]^T}), and one pool of threads, ours, leaves no library
 * threads spinning on a core that the fused step after the GEMM wants.
 *
 * <p>A product with one output row or column (a batch of one, a bias-like vector) goes to {@code ?gemv}
 * instead: OpenBLAS 0.3.19's {@code ?gemm} packs the whole of {@code b} on every call, which for a
 * {@code [1, 256] x [256, 1024]} step product costs 15 times the arithmetic.
 */
final class Blas {
    /** Rough single-thread GEMM rate on the 2-core Zen 4, in FLOP per nanosecond, to estimate a call's time. */
    private static final double FLOPS_PER_NANO = 80;
    /** The same for a matrix-vector product, which streams its matrix: 1 x 1024 x 256 took 14 us. */
    private static final double GEMV_FLOPS_PER_NANO = 40;
    /** Bands are multiples of this many rows or columns (a cache line of floats, four times). */
    private static final int BAND = 64;

    private final RangeExecutor executor;
    private final GemmEngine engine;

    Blas(RangeExecutor executor, GemmEngine engine) {
        this.executor = executor;
        this.engine = engine;
    }

    GemmEngine engine() {
        return engine;
    }

    /** See {@link dev.unroll.api.Backend#gemm}; shapes already checked, {@code c} is {@code [m, n]}. */
    void gemm(boolean transA, boolean transB, double alpha, CpuTensor a, CpuTensor b, double beta, CpuTensor c,
              int m, int n, int k) {
        if (m == 1 || n == 1) {
            gemv(transA, transB, alpha, a, b, beta, c, m, n, k);
            return;
        }
        boolean byColumns = n >= m;
        int extent = byColumns ? n : m;
        int bands = (extent + BAND - 1) / BAND;
        executor.forRange(bands, 2.0 * m * n * k / FLOPS_PER_NANO, (part, from, to) -> {
            int lo = from * BAND;
            int count = Math.min(extent, to * BAND) - lo;
            if (byColumns) {
                // Columns lo.. of c and of op(b): b is stored [k, n] (column offset) or [n, k] (row offset).
                long bOffset = transB ? (long) lo * b.cols() : lo;
                call(transA, transB, alpha, a, 0, b, bOffset, beta, c, lo, m, count, k);
            } else {
                // Rows lo.. of c and of op(a): a is stored [m, k] (row offset) or [k, m] (column offset).
                long aOffset = transA ? lo : (long) lo * a.cols();
                call(transA, transB, alpha, a, aOffset, b, 0, beta, c, (long) lo * c.cols(), count, n, k);
            }
        });
    }

    /** One library call on the band of {@code c} that starts {@code cOffset} elements in, {@code [m, n]}. */
    private void call(boolean transA, boolean transB, double alpha, CpuTensor a, long aOffset, CpuTensor b,
                      long bOffset, double beta, CpuTensor c, long cOffset, int m, int n, int k) {
        // Row-major storage: the leading dimension of each operand is its own column count as stored.
        // Both libraries write c when beta == 0 rather than scaling it, so NaN in c does not propagate.
        if (c.dtype() == DType.FLOAT32) {
            FloatPointer pa = shifted((FloatPointer) a.blasPointer(), aOffset);
            FloatPointer pb = shifted((FloatPointer) b.blasPointer(), bOffset);
            FloatPointer pc = shifted((FloatPointer) c.blasPointer(), cOffset);
            if (engine == GemmEngine.ONEDNN) {
                OneDnn.sgemm(transA, transB, m, n, k, (float) alpha, pa, a.cols(), pb, b.cols(), (float) beta, pc,
                        c.cols());
            } else {
                openblas_nolapack.cblas_sgemm(CblasRowMajor, op(transA), op(transB), m, n, k, (float) alpha, pa,
                        a.cols(), pb, b.cols(), (float) beta, pc, c.cols());
            }
        } else {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, op(transA), op(transB), m, n, k, alpha,
                    shifted((DoublePointer) a.blasPointer(), aOffset), a.cols(),
                    shifted((DoublePointer) b.blasPointer(), bOffset), b.cols(), beta,
                    shifted((DoublePointer) c.blasPointer(), cOffset), c.cols());
        }
    }

    /**
     * The product with {@code m == 1} or {@code n == 1} as a matrix-vector product, split into bands of the
     * output vector where worth it (each thread then streams its part of the matrix from its own cache). The
     * vector operand and the output are contiguous whatever the transposes ({@code [1, k]} and {@code [k, 1]}
     * are laid out alike), so both have increment 1.
     */
    private void gemv(boolean transA, boolean transB, double alpha, CpuTensor a, CpuTensor b, double beta,
                      CpuTensor c, int m, int n, int k) {
        CpuTensor matrix;
        CpuTensor vector;
        boolean transposeMatrix;
        if (m == 1) {
            // c^T [n] = op(b)^T [n, k] . a^T [k]; b is stored [k, n] (use its transpose) or [n, k].
            matrix = b;
            vector = a;
            transposeMatrix = !transB;
        } else {
            // c [m] = op(a) [m, k] . op(b) [k]; a is stored [m, k] or [k, m] (use its transpose).
            matrix = a;
            vector = b;
            transposeMatrix = transA;
        }
        if (beta == 0) {
            // gemv scales y by beta, and 0 * NaN is NaN: clear it so beta == 0 ignores c, as for gemm.
            c.backend().fill(c, 0);
        }
        int outputs = Math.max(m, n);
        int bands = (outputs + BAND - 1) / BAND;
        executor.forRange(bands, 2.0 * outputs * k / GEMV_FLOPS_PER_NANO, (part, from, to) -> {
            int lo = from * BAND;
            int count = Math.min(outputs, to * BAND) - lo;
            // The band's outputs are rows lo.. of the matrix as stored, or its columns lo.. when transposed.
            int ld = matrix.cols();
            long offset = transposeMatrix ? lo : (long) lo * ld;
            int rows = transposeMatrix ? matrix.rows() : count;
            int cols = transposeMatrix ? count : ld;
            int trans = op(transposeMatrix);
            if (c.dtype() == DType.FLOAT32) {
                openblas_nolapack.cblas_sgemv(CblasRowMajor, trans, rows, cols, (float) alpha,
                        shifted((FloatPointer) matrix.blasPointer(), offset), ld, (FloatPointer) vector.blasPointer(),
                        1, (float) beta, shifted((FloatPointer) c.blasPointer(), lo), 1);
            } else {
                openblas_nolapack.cblas_dgemv(CblasRowMajor, trans, rows, cols, alpha,
                        shifted((DoublePointer) matrix.blasPointer(), offset), ld,
                        (DoublePointer) vector.blasPointer(), 1, beta, shifted((DoublePointer) c.blasPointer(), lo),
                        1);
            }
        });
    }

    private static int op(boolean transpose) {
        return transpose ? CblasTrans : CblasNoTrans;
    }

    private static FloatPointer shifted(FloatPointer p, long elements) {
        return elements == 0 ? p : new FloatPointer(p).position(p.position() + elements);
    }

    private static DoublePointer shifted(DoublePointer p, long elements) {
        return elements == 0 ? p : new DoublePointer(p).position(p.position() + elements);
    }
}
