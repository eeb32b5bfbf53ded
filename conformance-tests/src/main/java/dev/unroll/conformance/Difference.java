package dev.unroll.conformance;

/**
 * The worst difference a passing comparison saw, for reports: the largest {@code |actual - expected|} and the
 * largest {@code |actual - expected| / |expected|} (over elements whose expected value is not zero).
 */
public record Difference(double absolute, double relative) {

    /** No difference at all (also what an empty or all-NaN comparison reports). */
    public static final Difference NONE = new Difference(0, 0);

    /** The element-wise larger of two differences, to summarise several tensors of one check. */
    public Difference max(Difference other) {
        return new Difference(Math.max(absolute, other.absolute), Math.max(relative, other.relative));
    }
}
