package dev.unroll.conformance;

import dev.unroll.api.DType;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FLOAT32-only backend with no {@code ejml} on its test classpath has no FLOAT64 reference for the cross-backend
 * check. The kit used to return no tests at all for {@code required_crossBackendAgreement} then, which a report
 * shows as nothing rather than as a check that did not run; the kit's rule is never to skip silently.
 */
class CrossBackendWithoutReferenceTest {

    /** This module's test classpath has no backend provider, so neither the target nor ejml can be a reference. */
    static final class Float32OnlyKit extends ConformanceKit {
        @Override
        protected String backendName() {
            return "float32-only";
        }

        @Override
        protected Set<DType> dtypes() {
            return Set.of(DType.FLOAT32);
        }
    }

    @Test
    void theCheckIsReportedAsSkippedWithItsReason() {
        List<DynamicNode> nodes = new Float32OnlyKit().required_crossBackendAgreement().toList();
        assertEquals(1, nodes.size(), "one skipped test saying why, not an empty factory");
        DynamicTest test = (DynamicTest) nodes.get(0);
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> test.getExecutable().execute());
        assertTrue(skipped.getMessage().contains("no FLOAT64 reference"), skipped.getMessage());
    }
}
