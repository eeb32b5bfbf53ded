package dev.unroll.conformance;

import dev.unroll.api.DType;
import dev.unroll.conformance.faults.PlantedFault;
import dev.unroll.conformance.faults.PlantedFaults;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * For the kit's own tests: {@link OracleBackend} with one of {@link PlantedFaults} planted, and the first wrong
 * result that one group of the primitive checks finds on it, in FLOAT64.
 */
final class FaultyOracle {
    private FaultyOracle() {
    }

    /** The planted fault of that name; fails the test when the catalogue has none. */
    static PlantedFault fault(String name) {
        return PlantedFaults.all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no planted fault named " + name));
    }

    /**
     * Runs the primitive checks of {@code group} on the oracle backend with {@code fault} planted and returns the
     * first that failed on a wrong result (an {@link AssertionError}), if any.
     */
    static Optional<CheckResult> firstCaughtBy(PlantedFault fault, String group) {
        KitTarget target = new KitTarget("oracle+" + fault.name(), () -> fault.apply(new OracleBackend()),
                Set.of(DType.FLOAT64));
        List<Check> checks = PrimitiveChecks.all(target, DType.FLOAT64, Tolerances.forPrimitives(DType.FLOAT64))
                .stream().filter(c -> c.group().equals(group)).toList();
        if (checks.isEmpty()) {
            throw new AssertionError("no primitive checks in group " + group);
        }
        for (Check check : checks) {
            CheckResult result = CheckRunner.run(check);
            if (result.failedOnAssertion()) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }
}
