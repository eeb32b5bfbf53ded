package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.spi.ForwardingBackend;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;
import dev.unroll.conformance.recurrent.CellScenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A backend's fused step ops (its overrides of {@code lstmStepForward}, {@code gruStepBackward}, ...) against
 * the SPI's composite defaults built from the same backend's primitives: whole recurrent stacks, forward and
 * backward, run once directly and once through a {@link ForwardingBackend} (which keeps the composite defaults)
 * must agree within the cell tolerance. A backend that does not override the fused ops passes trivially.
 */
public final class CellFusedPathChecks {
    public static final String GROUP = "cells-fused-vs-composite";

    private CellFusedPathChecks() {
    }

    /** One check per scenario and dtype of the target. */
    public static List<Check> checks(KitTarget target, Function<DType, Tolerance> tolerance) {
        List<Check> checks = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (!target.dtypes().contains(dtype)) {
                continue;
            }
            for (CellCase c : CellScenarios.all()) {
                String description = "fused vs composite " + c.name();
                checks.add(new Check(GROUP, description + " " + dtype, () -> {
                    try (Backend be = target.create()) {
                        Verifier verify = new Verifier(target.name(), description, dtype, tolerance.apply(dtype));
                        CellResult composite = CellRunner.forwardBackward(
                                new ForwardingBackend(be, be.name() + "-composite"), dtype, c);
                        CellResult fused = CellRunner.forwardBackward(be, dtype, c);
                        CellResultComparison.assertSame(verify, composite, fused);
                    }
                }));
            }
        }
        return checks;
    }
}
