package dev.unroll.conformance;

import dev.unroll.api.DType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The control for the kit's own planted-fault tests: {@link OracleBackend} without a fault passes every primitive
 * check. Without it, a check failing on a faulty {@link OracleBackend} could be the test backend's own mistake.
 */
class OracleBackendPassesPrimitiveChecksTest {

    @Test
    void everyPrimitiveCheckPassesInFloat64() {
        KitTarget oracle = new KitTarget("oracle", OracleBackend::new, Set.of(DType.FLOAT64));
        List<Check> checks = PrimitiveChecks.all(oracle, DType.FLOAT64, Tolerances.forPrimitives(DType.FLOAT64));
        // an empty list would pass vacuously
        assertTrue(checks.size() > 100, () -> "only " + checks.size() + " primitive checks");
        List<CheckResult> failed = CheckRunner.run(checks).stream().filter(r -> !r.passed()).toList();
        if (!failed.isEmpty()) {
            fail(failed.size() + " primitive checks failed on the oracle backend:\n" + failed.stream()
                    .map(r -> r.check() + "\n    " + r.failure())
                    .collect(Collectors.joining("\n")));
        }
    }

    /**
     * The refused-argument checks too: the oracle leaves the fused steps to the SPI's defaults, so this is where the
     * kit's checks of those defaults run (a null argument once failed there with a NullPointerException).
     */
    @Test
    void everyErrorCheckPassesOnTheSpisDefaults() {
        KitTarget oracle = new KitTarget("oracle", OracleBackend::new, Set.of(DType.FLOAT64));
        List<Check> checks = ErrorChecks.all(oracle, DType.FLOAT64);
        assertTrue(checks.size() > 50, () -> "only " + checks.size() + " error checks");
        List<CheckResult> failed = CheckRunner.run(checks).stream().filter(r -> !r.passed()).toList();
        if (!failed.isEmpty()) {
            fail(failed.size() + " error checks failed on the oracle backend:\n" + failed.stream()
                    .map(r -> r.check() + "\n    " + r.failure())
                    .collect(Collectors.joining("\n")));
        }
    }
}
