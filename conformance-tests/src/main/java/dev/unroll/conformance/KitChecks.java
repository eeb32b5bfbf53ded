package dev.unroll.conformance;

import dev.unroll.api.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every check of the kit as one list, for runners outside JUnit: the command line's
 * {@code unroll conformance} and the planted-fault tests. {@link ConformanceKit} runs the same checks.
 */
public final class KitChecks {
    private KitChecks() {
    }

    /** Every check for the target in each of its dtypes, with the kit's named tolerances. */
    public static List<Check> all(KitTarget target) {
        return all(target, Tolerances::forPrimitives, Tolerances::forCells);
    }

    /**
     * Every check for the target in each of its dtypes.
     *
     * @param primitiveTolerance the tolerance for one primitive operation, per dtype
     * @param cellTolerance      the tolerance for whole cells and sequences, per dtype
     */
    public static List<Check> all(KitTarget target, Function<DType, Tolerance> primitiveTolerance,
                                  Function<DType, Tolerance> cellTolerance) {
        List<Check> checks = new ArrayList<>(operations(target, primitiveTolerance));
        checks.addAll(cells(target, cellTolerance));
        return checks;
    }

    /**
     * The checks of single operations, each against the host oracle: dtypes, primitives, refused arguments, fused
     * steps and optimizer updates. A fault in one operation should fail one of these, which name it, and not only a
     * whole-stack check that says which gradient came out wrong.
     */
    public static List<Check> operations(KitTarget target, Function<DType, Tolerance> primitiveTolerance) {
        List<Check> checks = new ArrayList<>(DTypeChecks.required(target));
        checks.addAll(DTypeChecks.optional(target, DType.FLOAT64));
        for (DType dtype : DType.values()) {
            if (target.dtypes().contains(dtype)) {
                checks.addAll(PrimitiveChecks.all(target, dtype, primitiveTolerance.apply(dtype)));
                checks.addAll(ErrorChecks.all(target, dtype));
                checks.addAll(FusedStepChecks.all(target, dtype, primitiveTolerance.apply(dtype)));
            }
        }
        return checks;
    }

    /**
     * The checks of whole recurrent stacks: fused step ops against the composite path, the bundled PyTorch
     * golden fixtures, finite-difference gradients (FLOAT64), truncated BPTT, the stack's behaviour no oracle
     * covers ({@link CellBehaviourChecks}), the whole-sequence operations against the default loops
     * ({@link SequenceChecks}) and agreement with the other available backends.
     */
    public static List<Check> cells(KitTarget target, Function<DType, Tolerance> cellTolerance) {
        List<Check> checks = new ArrayList<>(CellFusedPathChecks.checks(target, cellTolerance));
        for (DType dtype : DType.values()) {
            if (target.dtypes().contains(dtype)) {
                checks.addAll(GoldenChecks.bundled(target, dtype, fixture -> cellTolerance.apply(dtype)));
            }
        }
        checks.addAll(FiniteDifferenceChecks.checks(target));
        checks.addAll(TruncatedBpttChecks.checks(target, cellTolerance));
        checks.addAll(CellBehaviourChecks.checks(target, cellTolerance));
        checks.addAll(SequenceChecks.checks(target, cellTolerance));
        checks.addAll(CrossBackendChecks.checks(target, cellTolerance));
        return checks;
    }
}
