package dev.unroll.conformance;

import dev.unroll.api.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest {
    private static final Tolerance TOL = new Tolerance(1e-6, 1e-5);

    @Test
    void aFailureNamesBackendCheckDtypeTensorIndexWorstDifferenceAndCount() {
        int[] shape = {2, 3};
        double[] expected = {1, 2, 3, 4, 5, 6};
        double[] actual = {1, 2, 3.5, 4, 5, 9};
        AssertionError e = assertThrows(AssertionError.class, () -> Comparison.assertClose("ejml", "gemm(m=2)", "c",
                DType.FLOAT32, TOL, shape, expected, shape, actual));
        String message = e.getMessage();
        for (String part : new String[] {"ejml", "gemm(m=2)", "FLOAT32", "'c'", "differs at [0, 2]",
            "2 of 6 elements", "worst |diff| 3.00 at [1, 2]",
            "expected 6.00000000, actual 9.00000000"}) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
        }
    }

    @Test
    void float64ValuesAreShownWithEnoughDigitsToTellNeighboursApart() {
        int[] shape = {1};
        double expected = 0.1;
        double actual = Math.nextUp(Math.nextUp(0.1));
        AssertionError e = assertThrows(AssertionError.class, () -> Comparison.assertClose("b", "op", "t",
                DType.FLOAT64, new Tolerance(0, 0), shape, new double[] {expected}, shape, new double[] {actual}));
        // two ulps apart: nine digits would print both as 0.100000000
        assertTrue(e.getMessage().contains("actual 0.10000000000000003"), e.getMessage());
    }

    @Test
    void shapesAreComparedBeforeValues() {
        AssertionError e = assertThrows(AssertionError.class, () -> Comparison.assertClose("b", "op", "out",
                DType.FLOAT64, TOL, new int[] {2, 3}, new double[6], new int[] {3, 2}, new double[6]));
        assertTrue(e.getMessage().contains("has shape [3, 2] but expected [2, 3]"), e.getMessage());
    }

    @Test
    void nanMatchesOnlyNanAndInfinityOnlyTheSameInfinity() {
        assertTrue(TOL.accepts(Double.NaN, Double.NaN));
        assertTrue(TOL.accepts(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertTrue(!TOL.accepts(Double.NaN, 0));
        assertTrue(!TOL.accepts(0, Double.NaN));
        assertTrue(!TOL.accepts(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        assertTrue(!TOL.accepts(1e30, Double.POSITIVE_INFINITY));
    }

    @Test
    void theBoundIsAbsolutePlusRelativeToTheExpectedValue() {
        assertTrue(TOL.accepts(100, 100 + 1e-3 + 1e-6 - 1e-9));
        assertTrue(!TOL.accepts(100, 100 + 1e-3 + 1e-6 + 1e-9));
        assertTrue(TOL.accepts(0, 1e-6));
        assertTrue(!TOL.accepts(0, 2e-6));
    }

    @Test
    void aPassReturnsTheWorstAbsoluteAndRelativeDifference() {
        int[] shape = {3};
        Difference d = Comparison.assertClose("b", "op", "t", DType.FLOAT64, TOL, shape, new double[] {1, 2, 4},
                shape, new double[] {1, 2 + 1e-6, 4 - 2e-6});
        assertEquals(2e-6, d.absolute(), 1e-12);
        assertEquals(5e-7, d.relative(), 1e-12);
    }

    @Test
    void matchingNaNsAndInfinitiesAreNoDifference() {
        int[] shape = {3};
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        // as Difference.NONE promises: a NaN expected value once made the relative difference 0 / NaN
        assertEquals(Difference.NONE, Comparison.assertClose("b", "op", "t", DType.FLOAT64, TOL, shape, special,
                shape, special.clone()));
    }

    @Test
    void aNumberWhereNaNOrAnInfinityWasExpectedIsReportedAsSuchNotAsABoundOfNaN() {
        int[] shape = {2};
        AssertionError e = assertThrows(AssertionError.class, () -> Comparison.assertClose("b", "maxAbs", "t",
                DType.FLOAT32, TOL, shape, new double[] {Double.NaN, Double.POSITIVE_INFINITY}, shape,
                new double[] {0.5, 0.5}));
        String message = e.getMessage();
        // the tolerance's bound of a NaN expected value is NaN: "allowed NaN" read as if anything were allowed
        assertTrue(!message.contains("allowed NaN") && !message.contains("allowed Infinity"), message);
        assertTrue(message.contains("differs at [0]: expected NaN, actual 0.500000000 (only NaN matches NaN)"),
                message);
    }

    @Test
    void multiIndicesAreRowMajor() {
        assertEquals("[1, 2, 3]", Comparison.index(new int[] {2, 3, 4}, 12 + 8 + 3));
        assertEquals("[0]", Comparison.index(new int[] {5}, 0));
    }
}
