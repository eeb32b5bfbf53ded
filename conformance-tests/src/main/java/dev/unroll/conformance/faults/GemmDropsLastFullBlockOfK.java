package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * An 8-wide unrolled dot product whose main loop runs while {@code p + 8 < k} and whose tail loop starts at
 * {@code k - k % 8}: when {@code k} is an exact multiple of 8 the last block of 8 products is never added (with
 * {@code k = 8}, none is). Every {@code k} that is no multiple of the block is right, which is why only shapes that
 * are exact multiples of a block show it.
 */
final class GemmDropsLastFullBlockOfK extends FaultyBackend {
    static final int BLOCK = 8;

    static final PlantedFault FAULT = new PlantedFault("gemm-drops-last-full-block-of-k",
            "gemm skips the last 8 products of each dot product when k is a multiple of 8 (an unrolled loop's"
                    + " main-loop bound off by one block, its tail starting past it)",
            GemmDropsLastFullBlockOfK::new);

    GemmDropsLastFullBlockOfK(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        int k = transA ? a.rows() : a.cols();
        if (k % BLOCK != 0 || (transB ? b.cols() : b.rows()) != k) {
            delegate.gemm(transA, transB, alpha, a, b, beta, c); // right, or the delegate's shape error
            return;
        }
        // the same product with op(a)'s last 8 columns zeroed: those terms are what the loops never add
        double[] values = a.toDoubleArray();
        for (int row = 0; row < a.rows(); row++) {
            for (int col = 0; col < a.cols(); col++) {
                int p = transA ? row : col;
                if (p >= k - BLOCK) {
                    values[row * a.cols() + col] = 0;
                }
            }
        }
        try (Tensor truncated = scratchLike(a)) {
            delegate.upload(values, truncated);
            delegate.gemm(transA, transB, alpha, truncated, b, beta, c);
        }
    }
}
