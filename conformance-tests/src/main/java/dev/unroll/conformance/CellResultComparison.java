package dev.unroll.conformance;

import dev.unroll.conformance.recurrent.CellResult;

import java.util.Map;
import java.util.TreeSet;

/** Compares two runs of one cell case: outputs, final states and every gradient both have. */
final class CellResultComparison {
    private CellResultComparison() {
    }

    /** Asserts that {@code actual} matches {@code expected} tensor by tensor; returns the worst difference. */
    static Difference assertSame(Verifier verify, CellResult expected, CellResult actual) {
        verify.tensor("y", expected.y(), actual.y());
        verify.tensor("h_n", expected.hN(), actual.hN());
        if (expected.cN() != null) {
            if (actual.cN() == null) {
                throw verify.failure("no final cell state");
            }
            verify.tensor("c_n", expected.cN(), actual.cN());
        }
        for (String name : new TreeSet<>(expected.grads().keySet())) {
            HostTensor a = actual.grads().get(name);
            if (a == null) {
                throw verify.failure("no gradient named '" + name + "'; got " + actual.grads().keySet());
            }
            verify.tensor("grad " + name, expected.grads().get(name), a);
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
        double abs = 0;
        double rel = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Double.isNaN(e[i]) || Double.isNaN(a[i])
                    ? (Double.isNaN(e[i]) && Double.isNaN(a[i]) ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(a[i] - e[i]);
            abs = Math.max(abs, d);
            if (e[i] != 0) {
                rel = Math.max(rel, d / Math.abs(e[i]));
            }
        }
        return new Difference(abs, rel);
    }
}
