package dev.unroll.backend.cpu;

import dev.unroll.conformance.ConformanceKit;
import dev.unroll.conformance.KitTarget;

/**
 * Runs the conformance kit on the cpu backend with its float32 GEMMs on OpenBLAS ({@code unroll.cpu.gemm=openblas},
 * the fallback where oneDNN does not load); {@link CpuConformanceTest} covers the default, oneDNN.
 */
class CpuOpenBlasConformanceTest extends ConformanceKit {
    @Override
    protected String backendName() {
        return "cpu";
    }

    @Override
    protected KitTarget target() {
        return new KitTarget("cpu (GEMM on openblas)",
                () -> new CpuBackend(Runtime.getRuntime().availableProcessors(), GemmEngine.OPENBLAS), dtypes());
    }
}
