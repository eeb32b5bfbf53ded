package dev.unroll.backend.ejml;

import dev.unroll.conformance.ConformanceKit;

/** Runs the conformance kit on the EJML backend, in FLOAT32 and FLOAT64. */
class EjmlConformanceTest extends ConformanceKit {
    @Override
    protected String backendName() {
        return "ejml";
    }
}
