package dev.unroll.conformance;

import dev.unroll.api.DType;

import java.util.Arrays;
import java.util.Locale;

/**
 * Compares a backend's tensor with the oracle's, shape first, then every element, and fails with a message
 * that says everything needed to find the bug without a debugger: backend, check, dtype, tensor, the first
 * failing index, the worst difference and where it is, and how many elements failed.
 */
public final class Comparison {
    private Comparison() {
    }

    /**
     * Asserts that {@code actual} equals {@code expected} within {@code tol}, element by element.
     *
     * @param backend       the backend under test, for the message
     * @param check         the operation and its parameters, for the message
     * @param tensorName    which tensor of the operation is compared, e.g. {@code "c"}
     * @param expectedShape the oracle's shape; {@code expected} holds its elements row-major
     * @param actualShape   the backend's shape; {@code actual} holds its elements row-major
     * @return the worst absolute and relative differences seen
     * @throws AssertionError if the shapes differ or any element is outside the tolerance
     */
    public static Difference assertClose(String backend, String check, String tensorName, DType dtype, Tolerance tol,
                                         int[] expectedShape, double[] expected, int[] actualShape,
                                         double[] actual) {
        String where = backend + " " + check + " " + dtype + ": tensor '" + tensorName + "'";
        if (!Arrays.equals(expectedShape, actualShape)) {
            throw new AssertionError(where + " has shape " + Arrays.toString(actualShape) + " but expected "
                    + Arrays.toString(expectedShape));
        }
        if (expected.length != actual.length) {
            throw new AssertionError(where + ": expected " + expected.length + " elements for shape "
                    + Arrays.toString(expectedShape) + " but got " + actual.length);
        }
        int failures = 0;
        int firstFailure = -1;
        int worst = -1;
        double worstAbsolute = 0;
        double worstRelative = 0;
        for (int i = 0; i < expected.length; i++) {
            boolean ok = tol.accepts(expected[i], actual[i]);
            Difference diff = difference(expected[i], actual[i]);
            if (!ok) {
                failures++;
                if (firstFailure < 0) {
                    firstFailure = i;
                }
            }
            if (worst < 0 || diff.absolute() > worstAbsolute) {
                worstAbsolute = diff.absolute();
                worst = i;
            }
            worstRelative = Math.max(worstRelative, diff.relative());
        }
        if (failures > 0) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "%s differs at %s: expected %s, actual %s (%s); %d of %d elements"
                            + " outside tolerance; worst |diff| %s at %s (expected %s, actual %s)",
                    where, index(expectedShape, firstFailure), value(dtype, expected[firstFailure]),
                    value(dtype, actual[firstFailure]), allowance(tol, expected[firstFailure], actual[firstFailure]),
                    failures, expected.length,
                    difference(worstAbsolute), index(expectedShape, worst), value(dtype, expected[worst]),
                    value(dtype, actual[worst])));
        }
        return new Difference(worstAbsolute, worstRelative);
    }

    /** Asserts one scalar result (a loss, a norm), reported as a tensor of shape {@code [1]}. */
    public static Difference assertClose(String backend, String check, String name, DType dtype, Tolerance tol,
                                         double expected, double actual) {
        int[] scalar = {1};
        return assertClose(backend, check, name, dtype, tol, scalar, new double[] {expected}, scalar,
                new double[] {actual});
    }

    /**
     * Why one element failed: its difference and the bound, or, where NaN or an infinity was expected, that only
     * the same value matches (the bound of such a value is NaN or infinite, which reads as if anything went).
     */
    private static String allowance(Tolerance tol, double expected, double actual) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            String special = value(DType.FLOAT64, expected);
            return "only " + special + " matches " + special;
        }
        return "|diff| " + difference(distance(expected, actual)) + ", allowed " + difference(tol.bound(expected))
                + " = " + tol;
    }

    /**
     * One element's difference: its {@link #distance}, and that relative to the expected value where both are
     * finite and the expected value is not zero (else 0, so matching NaNs and infinities add nothing to a report).
     */
    static Difference difference(double expected, double actual) {
        double d = distance(expected, actual);
        boolean relative = expected != 0 && Double.isFinite(expected) && Double.isFinite(d);
        return new Difference(d, relative ? d / Math.abs(expected) : 0);
    }

    /**
     * {@code |actual - expected|}, where two NaNs or two equal infinities are 0 apart and a NaN against a
     * number is infinitely far, so the worst-difference report points at it.
     */
    private static double distance(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (expected == actual) {
            return 0;
        }
        return Math.abs(actual - expected);
    }

    /** The multi-index of a row-major flat index, e.g. {@code [3, 7]}. */
    static String index(int[] shape, int flat) {
        int[] multi = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            multi[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Arrays.toString(multi);
    }

    /** A value with just enough digits to tell neighbours of its dtype apart (9 for float32, 17 for float64). */
    private static String value(DType dtype, double x) {
        return String.format(Locale.ROOT, dtype == DType.FLOAT32 ? "%.9g" : "%.17g", x);
    }

    /** A difference or bound: three digits say how far off it is. */
    private static String difference(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
