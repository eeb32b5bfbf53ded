package dev.unroll.backend.cpu;

import dev.unroll.conformance.ConformanceKit;
import dev.unroll.conformance.KitTarget;

/**
 * Runs the conformance kit on the cpu backend with its correctly rounded float32 tanh ({@code unroll.cpu.tanh=exact});
 * {@link CpuConformanceTest} covers the default, the fast one.
 */
class CpuExactTanhConformanceTest extends ConformanceKit {
    @Override
    protected String backendName() {
        return "cpu";
    }

    @Override
    protected KitTarget target() {
        return new KitTarget("cpu (exact tanh)", () -> new CpuBackend(Runtime.getRuntime().availableProcessors(),
                GemmEngine.preferred(), Float32Tanh.EXACT), dtypes());
    }
}
