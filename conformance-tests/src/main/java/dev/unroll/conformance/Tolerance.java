package dev.unroll.conformance;

import java.util.Locale;

/**
 * How far a backend's value may be from the oracle's: {@code |actual - expected| <= atol + rtol * |expected|}.
 * The absolute part covers results near zero, where cancellation leaves no relative accuracy; the relative
 * part covers everything else. NaN equals NaN and an infinity equals the same infinity; anything else
 * compared with NaN fails.
 *
 * @param atol absolute tolerance, at least 0
 * @param rtol relative tolerance (of the expected value), at least 0
 */
public record Tolerance(double atol, double rtol) {

    public Tolerance {
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got atol " + atol + ", rtol " + rtol);
        }
    }

    /** The largest allowed {@code |actual - expected|} for this expected value. */
    public double bound(double expected) {
        return atol + rtol * Math.abs(expected);
    }

    /** Whether {@code actual} is close enough to {@code expected}. */
    public boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= bound(expected);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "atol %.1e + rtol %.1e*|expected|", atol, rtol);
    }
}
