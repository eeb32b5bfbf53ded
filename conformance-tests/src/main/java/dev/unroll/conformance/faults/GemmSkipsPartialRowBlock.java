package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A blocked GEMM whose large-matrix path (m above 256) computes only whole 64-row blocks and leaves the
 * rows of the last partial block as they were: invisible on small or block-aligned shapes, caught only by
 * edge shapes such as 257x129.
 */
final class GemmSkipsPartialRowBlock extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gemm-skips-partial-row-block",
            "gemm for m > 256 leaves the last partial 64-row block of c unwritten (shows only at edge shapes)",
            GemmSkipsPartialRowBlock::new);

    private static final int BLOCK = 64;
    private static final int LARGE = 256;

    GemmSkipsPartialRowBlock(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        int tail = c.rows() % BLOCK;
        if (c.rows() <= LARGE || tail == 0) {
            delegate.gemm(transA, transB, alpha, a, b, beta, c);
            return;
        }
        try (Tensor untouched = scratch(c.dtype(), tail, c.cols())) {
            delegate.copyRows(c, c.rows() - tail, untouched, 0, tail);
            delegate.gemm(transA, transB, alpha, a, b, beta, c);
            delegate.copyRows(untouched, 0, c, c.rows() - tail, tail);
        }
    }
}
