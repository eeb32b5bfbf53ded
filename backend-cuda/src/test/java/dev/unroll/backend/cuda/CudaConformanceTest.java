package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.conformance.ConformanceKit;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance kit on the cuda backend, FLOAT32 only (FLOAT64 must be refused with
 * {@link dev.unroll.api.UnsupportedDTypeException}, which the kit's optional check verifies). Cross-backend
 * agreement uses the EJML backend, on the test classpath, as the FLOAT64 oracle.
 */
class CudaConformanceTest extends ConformanceKit {

    @Override
    protected String backendName() {
        return CudaBackendProvider.NAME;
    }

    @Override
    protected Set<DType> dtypes() {
        // Declared rather than asked: asking would create a backend, which fails without a GPU.
        return Set.of(DType.FLOAT32);
    }

    /** Without a GPU every test factory of the kit is skipped with the provider's reason, instead of failing. */
    @Override
    protected boolean skipWhenUnavailable() {
        return true;
    }

    /**
     * Surefire does not list test factories aborted before they produced tests, so this one plain test is what
     * makes the skip and its reason visible in the report of a machine without a GPU.
     */
    @Test
    void kitRunsOnThisMachinesGpu() {
        assertTrue(CudaAvailable.AVAILABILITY.available());
    }
}
