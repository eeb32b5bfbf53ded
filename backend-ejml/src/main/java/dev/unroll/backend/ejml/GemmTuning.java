package dev.unroll.backend.ejml;

/**
 * How a GEMM is routed through EJML, for speed only: every route computes the same product.
 *
 * <p>A GEMM runs on EJML's concurrent routines ({@code CommonOps_MT_*}) rather than its single-threaded
 * ones only when threading is enabled and the product has at least {@link #minMultiplyAdds} multiply-adds.
 * Below that, handing rows to EJML's fork-join pool costs more than the work it spreads (the per-step
 * recurrent GEMM of a small batch is far below it; an all-steps input projection is above it).
 *
 * @param enabled         false when {@code unroll.ejml.threads} is 1
 * @param minMultiplyAdds {@code m * n * k} from which the concurrent routine is used
 */
record GemmTuning(boolean enabled, long minMultiplyAdds) {

    /**
     * Measured on the 2-core development machines: at 1M multiply-adds the concurrent routines only break
     * even, at 67M (a batch-64 LSTM step of hidden size 512) they are 1.4x faster, at 3G 2x.
     */
    static final long DEFAULT_MIN_MULTIPLY_ADDS = 1L << 22;

    /**
     * From this many rows of {@code op(a)}, a GEMM with {@code transB} transposes b into a scratch matrix and
     * runs EJML's faster non-transposed product (measured: 1.5x to 2.5x from 8 rows on; at 1 to 4 rows the
     * transpose costs as much as it saves).
     */
    static final int TRANSPOSE_B_MIN_ROWS = 8;

    static GemmTuning of(int threads) {
        return new GemmTuning(threads != 1, DEFAULT_MIN_MULTIPLY_ADDS);
    }

    boolean concurrent(int m, int n, int k) {
        return enabled && (long) m * n * k >= minMultiplyAdds;
    }
}
