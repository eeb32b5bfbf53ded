package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A fast path for square {@code b} that forgets the {@code transB} flag: the shapes still fit, so only the
 * values are wrong, and only for square operands.
 */
final class GemmIgnoresTransposeOfSquareB extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gemm-ignores-transB-for-square-b",
            "gemm ignores transB when b is square (a square fast path that forgot the flag)",
            GemmIgnoresTransposeOfSquareB::new);

    GemmIgnoresTransposeOfSquareB(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        boolean square = b.rows() == b.cols();
        delegate.gemm(transA, transB && !square, alpha, a, b, beta, c);
    }
}
