package dev.unroll.backend.ejml;

/**
 * When a GEMM runs on EJML's concurrent routines ({@code CommonOps_MT_*}) rather than its single-threaded
 * ones: only when threading is enabled and the product has at least {@link #minMultiplyAdds} multiply-adds.
 * Below that, handing rows to EJML's fork-join pool costs more than the work it spreads (the per-step
 * recurrent GEMM of a small batch is far below it; an all-steps input projection is above it).
 *
 * @param enabled        false when {@code unroll.ejml.threads} is 1
 * @param minMultiplyAdds {@code m * n * k} from which the concurrent routine is used
 */
record GemmThreading(boolean enabled, long minMultiplyAdds) {

    /** The threshold measured on the 2-core development machines (see the module README). */
    static final long DEFAULT_MIN_MULTIPLY_ADDS = 1L << 21;

    static GemmThreading of(int threads) {
        return new GemmThreading(threads != 1, DEFAULT_MIN_MULTIPLY_ADDS);
    }

    boolean concurrent(int m, int n, int k) {
        return enabled && (long) m * n * k >= minMultiplyAdds;
    }
}
