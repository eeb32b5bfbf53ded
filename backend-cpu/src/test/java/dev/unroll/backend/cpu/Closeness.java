package dev.unroll.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The backend tests' element-wise comparison: each difference within {@code tolerance * (1 + |expected|)}. */
final class Closeness {
    private Closeness() {
    }

    static void assertClose(String what, double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (!(diff <= tolerance * (1 + Math.abs(expected[i])))) {
                throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " but was "
                        + actual[i] + " (difference " + diff + ")");
            }
        }
    }
}
