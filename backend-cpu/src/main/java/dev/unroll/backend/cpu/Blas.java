package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * {@code c = alpha op(a) op(b) + beta c} on row-major tensors through OpenBLAS, one JNI call each.
 *
 * <p>A product with one output row or column (a batch of one, a bias-like vector) goes to {@code ?gemv}
 * instead: OpenBLAS 0.3.19's {@code ?gemm} packs the whole of {@code b} into a buffer on every call, which
 * for a {@code [1, 256] x [256, 1024]} step product costs 15 times the arithmetic.
 */
final class Blas {
    private Blas() {
    }

    /** See {@link dev.unroll.api.Backend#gemm}; shapes already checked, {@code c} is {@code [m, n]}. */
    static void gemm(boolean transA, boolean transB, double alpha, CpuTensor a, CpuTensor b, double beta,
                     CpuTensor c, int m, int n, int k) {
        if (m == 1 || n == 1) {
            gemv(transA, transB, alpha, a, b, beta, c, m, n, k);
            return;
        }
        int opA = transA ? CblasTrans : CblasNoTrans;
        int opB = transB ? CblasTrans : CblasNoTrans;
        // Row-major storage: the leading dimension of each operand is its own column count as stored.
        // OpenBLAS's gemm zero-fills c when beta == 0 rather than scaling it, so NaN in c does not propagate.
        if (c.dtype() == DType.FLOAT32) {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, opA, opB, m, n, k, (float) alpha,
                    (FloatPointer) a.blasPointer(), a.cols(), (FloatPointer) b.blasPointer(), b.cols(),
                    (float) beta, (FloatPointer) c.blasPointer(), c.cols());
        } else {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, opA, opB, m, n, k, alpha,
                    (DoublePointer) a.blasPointer(), a.cols(), (DoublePointer) b.blasPointer(), b.cols(),
                    beta, (DoublePointer) c.blasPointer(), c.cols());
        }
    }

    /**
     * The product with {@code m == 1} or {@code n == 1} as a matrix-vector product. The vector operand and
     * the output are then contiguous whatever the transposes ({@code [1, k]} and {@code [k, 1]} are laid out
     * alike), so both have increment 1.
     */
    private static void gemv(boolean transA, boolean transB, double alpha, CpuTensor a, CpuTensor b, double beta,
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
        int rows = matrix.rows();
        int cols = matrix.cols();
        int trans = transposeMatrix ? CblasTrans : CblasNoTrans;
        if (beta == 0) {
            // gemv scales y by beta, and 0 * NaN is NaN: clear it so beta == 0 ignores c, as for gemm.
            c.backend().fill(c, 0);
        }
        if (c.dtype() == DType.FLOAT32) {
            openblas_nolapack.cblas_sgemv(CblasRowMajor, trans, rows, cols, (float) alpha,
                    (FloatPointer) matrix.blasPointer(), cols, (FloatPointer) vector.blasPointer(), 1,
                    (float) beta, (FloatPointer) c.blasPointer(), 1);
        } else {
            openblas_nolapack.cblas_dgemv(CblasRowMajor, trans, rows, cols, alpha,
                    (DoublePointer) matrix.blasPointer(), cols, (DoublePointer) vector.blasPointer(), 1,
                    beta, (DoublePointer) c.blasPointer(), 1);
        }
    }
}
