package dev.unroll.backend.ejml;

import dev.unroll.api.DType;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.conformance.Check;
import dev.unroll.conformance.CheckResult;
import dev.unroll.conformance.CheckRunner;
import dev.unroll.conformance.KitChecks;
import dev.unroll.conformance.KitTarget;
import dev.unroll.conformance.Tolerances;
import dev.unroll.conformance.faults.PlantedFault;
import dev.unroll.conformance.faults.PlantedFaults;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kit's own test: wrapped around the working EJML backend, every planted fault must make at least one
 * check of the kit fail on a wrong result, while the same wrapper without a fault passes every check.
 * It lives here because the kit cannot depend on a backend.
 */
class KitCatchesPlantedFaultsTest {
    private static final BackendRegistry REGISTRY = BackendRegistry.fromClasspath();

    /** EJML with the fault planted, in both dtypes; each check gets a fresh instance. */
    private static KitTarget faulty(PlantedFault fault) {
        return new KitTarget("ejml+" + fault.name(), () -> fault.apply(REGISTRY.create("ejml")),
                EnumSet.allOf(DType.class));
    }

    @Test
    void theWrapperWithoutAFaultPassesEveryCheck() {
        List<CheckResult> failed = CheckRunner.run(KitChecks.all(faulty(PlantedFaults.control()))).stream()
                .filter(r -> !r.passed())
                .toList();
        if (!failed.isEmpty()) {
            fail(failed.size() + " checks failed on the fault-free wrapper, so the planted-fault results would"
                    + " mean nothing:\n" + failed.stream()
                    .map(r -> r.check() + "\n    " + r.failure())
                    .collect(Collectors.joining("\n")));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPlantedFaultFailsAtLeastOneCheck() {
        return PlantedFaults.all().stream().map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
            // The question is whether the kit notices, not how often: stop at the first wrong result.
            for (Check check : KitChecks.all(faulty(fault))) {
                CheckResult result = CheckRunner.run(check);
                if (result.failedOnAssertion()) {
                    System.out.println("planted fault " + fault.name() + " caught by " + check + ":\n    "
                            + result.failure().getMessage());
                    return;
                }
            }
            fail("no check of the kit failed on a wrong result with the planted fault " + fault);
        }));
    }

    /**
     * A fault in one operation must be caught by a check of single operations, which names the operation, shape and
     * element: a kit that notices it only through a whole stack's golden fixture points at a gradient, not at the
     * operation (a GEMM dropping its last full block of k once went unnoticed by every GEMM check this way).
     */
    @TestFactory
    Stream<DynamicTest> everyOperationFaultFailsAnOperationCheck() {
        List<PlantedFault> faults = new ArrayList<>(PlantedFaults.primitives());
        faults.addAll(PlantedFaults.fusedSteps());
        return faults.stream().map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
            for (Check check : KitChecks.operations(faulty(fault), Tolerances::forPrimitives)) {
                if (CheckRunner.run(check).failedOnAssertion()) {
                    return;
                }
            }
            fail("no check of single operations failed on a wrong result with the planted fault " + fault);
        }));
    }

    /**
     * The faults only whole recurrent stacks reveal must be caught by the cell checks themselves (golden
     * fixtures, finite differences, fused vs composite), not merely by a primitive check that happens to run first.
     */
    @TestFactory
    Stream<DynamicTest> everyCellFaultFailsACellCheck() {
        return PlantedFaults.cells().stream().map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
            for (Check check : KitChecks.cells(faulty(fault), Tolerances::forCells)) {
                CheckResult result = CheckRunner.run(check);
                if (result.failedOnAssertion()) {
                    System.out.println("cell fault " + fault.name() + " caught by " + check);
                    return;
                }
            }
            fail("no cell check of the kit failed on a wrong result with the planted fault " + fault);
        }));
    }
}
