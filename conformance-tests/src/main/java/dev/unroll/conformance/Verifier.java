package dev.unroll.conformance;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

/**
 * The comparisons of one check: remembers backend, check name, dtype and tolerance, so each comparison
 * names only the tensor, and collects the worst difference for reports.
 */
public final class Verifier {
    private final String backend;
    private final String check;
    private final DType dtype;
    private final Tolerance tolerance;
    private Difference worst = Difference.NONE;

    public Verifier(String backend, String check, DType dtype, Tolerance tolerance) {
        this.backend = backend;
        this.check = check;
        this.dtype = dtype;
        this.tolerance = tolerance;
    }

    /** A verifier for one part of this check, its name added to the check's in failure messages. */
    public Verifier part(String name) {
        return new Verifier(backend, check + " [" + name + "]", dtype, tolerance);
    }

    /** Downloads {@code actual} and compares it with the oracle's {@code expected}, shape first. */
    public Difference tensor(String name, HostTensor expected, Tensor actual) {
        return record(Comparison.assertClose(backend, check, name, dtype, tolerance, expected.shape(),
                expected.values(), actual.shape(), actual.toDoubleArray()));
    }

    /** Compares two host tensors, e.g. two backends' downloads. */
    public Difference tensor(String name, HostTensor expected, HostTensor actual) {
        return record(Comparison.assertClose(backend, check, name, dtype, tolerance, expected.shape(),
                expected.values(), actual.shape(), actual.values()));
    }

    /** Compares a scalar result. */
    public Difference scalar(String name, double expected, double actual) {
        return scalar(name, expected, actual, tolerance);
    }

    /** Compares a scalar result with a tolerance of its own (a result the API promises in float64). */
    public Difference scalar(String name, double expected, double actual, Tolerance tol) {
        return record(Comparison.assertClose(backend, check, name, dtype, tol, expected, actual));
    }

    /** Fails unless the two doubles are identical (for values an operation must not touch). */
    public void unchanged(String name, HostTensor before, Tensor after) {
        Comparison.assertClose(backend, check, name + " (must be unchanged)", dtype, new Tolerance(0, 0),
                before.shape(), before.values(), after.shape(), after.toDoubleArray());
    }

    /** A failure about this check that is not a numeric comparison. */
    public AssertionError failure(String message) {
        return new AssertionError(backend + " " + check + " " + dtype + ": " + message);
    }

    /** The worst difference of every comparison so far. */
    public Difference worst() {
        return worst;
    }

    private Difference record(Difference d) {
        worst = worst.max(d);
        return d;
    }
}
