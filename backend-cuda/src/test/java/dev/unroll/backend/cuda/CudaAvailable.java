package dev.unroll.backend.cuda;

import dev.unroll.api.spi.Availability;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The GPU tests' gate: checked once per JVM; without a usable GPU each such test is skipped with the reason. */
final class CudaAvailable {
    static final Availability AVAILABILITY = new CudaBackendProvider().availability();

    private CudaAvailable() {
    }

    /** Skips the calling test (or class, from a {@code @BeforeAll}) unless the cuda backend can run here. */
    static void assumeGpu() {
        assumeTrue(AVAILABILITY.available(), () -> "cuda backend unavailable: " + AVAILABILITY.reason());
    }
}
