package dev.unroll.conformance;

import dev.unroll.conformance.recurrent.CellResult;

import java.util.Map;

/** Compares two runs of one cell case: outputs, final states and every gradient both have. */
final class CellResultComparison {
    private CellResultComparison() {
    }

    /**
     * Asserts that {@code actual} matches {@code expected} tensor by tensor, gradients in {@code expected}'s order
     * (so the first failure named is the same every run); returns the worst difference.
     */
    static Difference assertSame(Verifier verify, CellResult expected, CellResult actual) {
        verify.tensor("y", expected.y(), actual.y());
        verify.tensor("h_n", expected.hN(), actual.hN());
        if (expected.cN() != null) {
            if (actual.cN() == null) {
                throw verify.failure("expected a final cell state c_n but the stack returned none");
            }
            verify.tensor("c_n", expected.cN(), actual.cN());
        }
        for (Map.Entry<String, HostTensor> g : expected.grads().entrySet()) {
            HostTensor a = actual.grads().get(g.getKey());
            if (a == null) {
                throw verify.failure("no gradient named '" + g.getKey() + "'; the stack has " + actual.grads().keySet());
            }
            verify.tensor("grad " + g.getKey(), g.getValue(), a);
        }
        return verify.worst();
    }

    /** The worst absolute and relative difference over every tensor, without asserting (for reports). */
    static Difference measure(CellResult expected, CellResult actual) {
        Difference worst = measure(expected.y(), actual.y()).max(measure(expected.hN(), actual.hN()));
        if (expected.cN() != null && actual.cN() != null) {
            worst = worst.max(measure(expected.cN(), actual.cN()));
        }
        for (Map.Entry<String, HostTensor> e : expected.grads().entrySet()) {
            HostTensor a = actual.grads().get(e.getKey());
            if (a != null) {
                worst = worst.max(measure(e.getValue(), a));
            }
        }
        return worst;
    }

    private static Difference measure(HostTensor expected, HostTensor actual) {
        double[] e = expected.values();
        double[] a = actual.values();
        if (e.length != a.length) {
            return new Difference(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        Difference worst = Difference.NONE;
        for (int i = 0; i < e.length; i++) {
            worst = worst.max(Comparison.difference(e[i], a[i]));
        }
        return worst;
    }
}
