package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * GEMM that computes {@code beta * c} even when beta is 0, so NaN (or uninitialised device memory) in the
 * output leaks into the result: BLAS specifies that c is not read when beta is 0.
 */
final class GemmReadsOutputWhenBetaIsZero extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gemm-reads-c-when-beta-is-0",
            "gemm multiplies c by beta even when beta is 0, so NaN in c propagates",
            GemmReadsOutputWhenBetaIsZero::new);

    GemmReadsOutputWhenBetaIsZero(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        if (beta == 0) {
            delegate.scale(0, c, c); // 0 * NaN is NaN
            delegate.gemm(transA, transB, alpha, a, b, 1, c);
        } else {
            delegate.gemm(transA, transB, alpha, a, b, beta, c);
        }
    }
}
