package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** GEMM that overwrites {@code c} instead of accumulating into it: gradient accumulation silently breaks. */
final class GemmIgnoresBeta extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gemm-ignores-beta",
            "gemm overwrites c, ignoring beta * c (an output-only kernel used for every beta)", GemmIgnoresBeta::new);

    GemmIgnoresBeta(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        delegate.gemm(transA, transB, alpha, a, b, 0, c);
    }
}
