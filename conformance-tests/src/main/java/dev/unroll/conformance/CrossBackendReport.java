package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;
import dev.unroll.conformance.recurrent.CellScenarios;

import java.util.ArrayList;
import java.util.List;

/**
 * How far apart backends are on the kit's random recurrent models, for people and tools (the CLI prints it):
 * the first backend in FLOAT64 (else FLOAT32) is the reference, and every backend in every dtype it supports is
 * measured against it over outputs, final states and every gradient. Nothing is asserted.
 */
public final class CrossBackendReport {
    private CrossBackendReport() {
    }

    /**
     * One comparison.
     *
     * @param check          the scenario, e.g. {@code "lstm 2 layers bidirectional variable-length given-state"}
     * @param reference      backend and dtype of the reference, e.g. {@code "ejml FLOAT64"}
     * @param compared       backend and dtype measured, e.g. {@code "cpu FLOAT32"}
     * @param worstAbsolute  the largest {@code |compared - reference|} over every tensor
     * @param worstRelative  the largest such difference relative to a non-zero reference value
     * @param withinTolerance whether every element is within the kit's cell tolerance of the compared dtype
     */
    public record Row(String check, String reference, String compared, double worstAbsolute, double worstRelative,
                      boolean withinTolerance) {
    }

    /** Compares every backend with the first; the caller owns and closes the backends. */
    public static List<Row> compare(List<Backend> backends) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no backends to compare");
        }
        Backend reference = backends.get(0);
        DType referenceDType = reference.supports(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        List<Row> rows = new ArrayList<>();
        for (CellCase c : CellScenarios.all()) {
            CellResult expected = CellRunner.forwardBackward(reference, referenceDType, c);
            for (int i = 0; i < backends.size(); i++) {
                Backend b = backends.get(i);
                for (DType dtype : DType.values()) {
                    if (!b.supports(dtype) || (i == 0 && dtype == referenceDType)) {
                        continue;
                    }
                    CellResult actual = CellRunner.forwardBackward(b, dtype, c);
                    Difference d = CellResultComparison.measure(expected, actual);
                    boolean ok = within(expected, actual, Tolerances.forCells(dtype));
                    rows.add(new Row(c.name(), reference.name() + " " + referenceDType, b.name() + " " + dtype,
                            d.absolute(), d.relative(), ok));
                }
            }
        }
        return rows;
    }

    private static boolean within(CellResult expected, CellResult actual, Tolerance tolerance) {
        try {
            CellResultComparison.assertSame(new Verifier("report", "report", DType.FLOAT64, tolerance), expected, actual);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
