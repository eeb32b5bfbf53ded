package dev.unroll.conformance;

import dev.unroll.api.DType;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.api.spi.Availability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The conformance kit as JUnit 5 tests. A backend module adds this jar in test scope and subclasses once:
 * <pre>{@code
 * class EjmlConformanceTest extends ConformanceKit {
 *     @Override protected String backendName() { return "ejml"; }
 * }
 * }</pre>
 * Tests named {@code required_...} must pass for every backend; {@code optional_...} tests check an optional
 * capability, which a backend either has or refuses in the specified way (never skipped silently).
 * Every check runs in every dtype of {@link #dtypes()} on a fresh backend instance.
 */
public abstract class ConformanceKit {

    /** The provider name of the backend under test, as {@code BackendRegistry.fromClasspath().create(name)} takes it. */
    protected abstract String backendName();

    /** The dtypes to check; by default those the backend says it supports. */
    protected Set<DType> dtypes() {
        return KitTarget.fromClasspath(backendName()).dtypes();
    }

    /** The tolerance for one primitive operation; override only with a reason written beside it. */
    protected Tolerance primitiveTolerance(DType dtype) {
        return Tolerances.forPrimitives(dtype);
    }

    /** The tolerance for whole cells and sequences; override only with a reason written beside it. */
    protected Tolerance cellTolerance(DType dtype) {
        return Tolerances.forCells(dtype);
    }

    /**
     * Whether the kit skips, giving the provider's reason, when the backend cannot run on this machine (a GPU
     * backend on a machine without a GPU). By default an unavailable backend fails every test: a backend
     * that should run here and does not must not pass quietly.
     */
    protected boolean skipWhenUnavailable() {
        return false;
    }

    @BeforeEach
    void skipIfUnavailableAndAllowed() {
        if (skipWhenUnavailable()) {
            BackendRegistry registry = BackendRegistry.fromClasspath();
            Availability availability = registry.availability(registry.provider(backendName()));
            Assumptions.assumeTrue(availability.available(),
                    () -> "backend '" + backendName() + "' is unavailable here: " + availability.reason());
        }
    }

    /** What is under test: the backend by name, in {@link #dtypes()}. */
    protected KitTarget target() {
        return KitTarget.fromClasspath(backendName(), dtypes());
    }

    @TestFactory
    Stream<DynamicNode> required_float32() {
        return nodes(DTypeChecks.required(target()));
    }

    @TestFactory
    Stream<DynamicNode> optional_float64() {
        return nodes(DTypeChecks.optional(target(), DType.FLOAT64));
    }

    @TestFactory
    Stream<DynamicNode> required_primitives() {
        return perDType((target, dtype) -> PrimitiveChecks.all(target, dtype, primitiveTolerance(dtype)));
    }

    @TestFactory
    Stream<DynamicNode> required_errors() {
        return perDType(ErrorChecks::all);
    }

    @TestFactory
    Stream<DynamicNode> required_fusedStepsMatchComposite() {
        return perDType((target, dtype) -> FusedStepChecks.all(target, dtype, primitiveTolerance(dtype)));
    }

    // ---------------------------------------------------------------- cells and gradients

    /** Every bundled PyTorch golden fixture: outputs, final states and all gradients. */
    @TestFactory
    Stream<DynamicNode> required_goldenFixtures() {
        return perDType((target, dtype) -> GoldenChecks.bundled(target, dtype, fixture -> cellTolerance(dtype)));
    }

    /**
     * The fixtures of the folder named by {@code -Dunroll.golden.dir}; prints {@code golden cases: N passed, M
     * failed} per dtype. Skipped, saying so, when the property is blank or unset.
     */
    @TestFactory
    Stream<DynamicNode> required_goldenDirectory() {
        Optional<Path> folder = GoldenDirectoryRun.configuredFolder();
        if (folder.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("golden directory", () -> Assumptions.abort(
                    "no golden folder given: set -D" + GoldenDirectoryRun.PROPERTY + "=/abs/path to run its *.json")));
        }
        KitTarget target = target();
        List<DynamicNode> tests = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (target.dtypes().contains(dtype)) {
                tests.add(DynamicTest.dynamicTest("golden directory " + folder.get() + " " + dtype, () -> {
                    GoldenDirectoryRun.Summary summary =
                            GoldenDirectoryRun.run(target, dtype, cellTolerance(dtype), folder.get());
                    System.out.println("golden directory " + folder.get() + " on " + backendName() + " " + dtype + ":");
                    System.out.println(summary.line());
                    if (summary.failed() > 0) {
                        StringBuilder message = new StringBuilder(summary.line());
                        summary.failures().forEach(f -> message.append("\n  ").append(f.check().name()).append(": ")
                                .append(f.failure()));
                        throw new AssertionError(message.toString());
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Every gradient of random small models against central differences, in FLOAT64. */
    @TestFactory
    Stream<DynamicNode> required_finiteDifferenceGradients() {
        List<Check> checks = FiniteDifferenceChecks.checks(target());
        if (checks.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("finite differences", () -> Assumptions.abort(
                    backendName() + " is not tested in FLOAT64, which finite differences need")));
        }
        return nodes(checks);
    }

    /** The same random models on every available backend agree with the FLOAT64 reference. */
    @TestFactory
    Stream<DynamicNode> required_crossBackendAgreement() {
        List<Check> checks = CrossBackendChecks.checks(target(), this::cellTolerance);
        if (checks.isEmpty()) {
            // no FLOAT64 reference: say so rather than report a test factory with no tests at all
            return Stream.of(DynamicTest.dynamicTest("cross-backend agreement", () -> Assumptions.abort(
                    backendName() + " is not tested in FLOAT64 and no 'ejml' backend is on the test classpath:"
                            + " there is no FLOAT64 reference to compare with (add unroll-backend-ejml in test scope)")));
        }
        return nodes(checks);
    }

    /** Truncated BPTT equals full BPTT of a model restarted from a detached state. */
    @TestFactory
    Stream<DynamicNode> required_truncatedBptt() {
        return nodes(TruncatedBpttChecks.checks(target(), this::cellTolerance));
    }

    /** Seeded dropout, the GRU forms, gradient accumulation, NaN containment, buffer reuse. */
    @TestFactory
    Stream<DynamicNode> required_cellBehaviour() {
        return nodes(CellBehaviourChecks.checks(target(), this::cellTolerance));
    }

    /** The whole-sequence operations, called directly, agree with the SPI's default loops. */
    @TestFactory
    Stream<DynamicNode> required_sequenceOpsMatchDefaultLoops() {
        return nodes(SequenceChecks.checks(target(), this::cellTolerance));
    }

    /** Whole stacks through the backend's fused step ops and through the composite defaults agree. */
    @TestFactory
    Stream<DynamicNode> required_cellsFusedMatchComposite() {
        return nodes(CellFusedPathChecks.checks(target(), this::cellTolerance));
    }

    /** One container per dtype of the target, holding the checks {@code checks} makes for it. */
    protected Stream<DynamicNode> perDType(BiFunction<KitTarget, DType, List<Check>> checks) {
        KitTarget target = target();
        List<DynamicNode> containers = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (target.dtypes().contains(dtype)) {
                containers.add(DynamicContainer.dynamicContainer(dtype.name(), nodes(checks.apply(target, dtype))));
            }
        }
        return containers.stream();
    }

    /**
     * The checks as dynamic tests, one container per group, in order; under {@code -D}{@value CheckFilter#PROPERTY}
     * only those the {@link CheckFilter} keeps, plus one skipped test saying how many it left out.
     */
    protected static Stream<DynamicNode> nodes(List<Check> checks) {
        Optional<CheckFilter> filter = CheckFilter.configured();
        List<Check> kept = filter.map(f -> checks.stream().filter(f::keeps).toList()).orElse(checks);
        Map<String, List<DynamicNode>> byGroup = new LinkedHashMap<>();
        for (Check check : kept) {
            byGroup.computeIfAbsent(check.group(), g -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(check.name(), check.body()::run));
        }
        List<DynamicNode> nodes = new ArrayList<>();
        byGroup.forEach((group, tests) -> nodes.add(DynamicContainer.dynamicContainer(group, tests.stream())));
        int leftOut = checks.size() - kept.size();
        if (leftOut > 0) {
            String reason = leftOut + " of " + checks.size() + " checks left out by -D" + CheckFilter.PROPERTY + "="
                    + filter.orElseThrow().text();
            nodes.add(DynamicTest.dynamicTest(reason, () -> Assumptions.abort(reason)));
        }
        return nodes.stream();
    }
}
