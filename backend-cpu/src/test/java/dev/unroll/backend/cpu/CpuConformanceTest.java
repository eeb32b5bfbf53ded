package dev.unroll.backend.cpu;

import dev.unroll.conformance.ConformanceKit;

/** Runs the conformance kit on the cpu backend, in FLOAT32 and FLOAT64, with the kit's own tolerances. */
class CpuConformanceTest extends ConformanceKit {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
