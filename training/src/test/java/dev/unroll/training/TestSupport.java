package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.Backends;
import dev.unroll.training.nn.SeededRandom;
import java.util.Arrays;

/** The backend the tests run on, named tolerances, and comparisons that name the tensor and index. */
public final class TestSupport {
    private TestSupport() {
    }

    /** The backend every test here runs on; failure messages name it. */
    public static final String BACKEND = "ejml";

    /** The pure-Java backend (test scope only: main code never names a backend). */
    public static Backend backend() {
        return Backends.create(BACKEND);
    }

    /** {@code |a - b| <= atol + rtol * |b|}, per dtype. */
    public record Tolerance(double atol, double rtol) {
        /** Float32 arithmetic against a float32 or float64 reference. */
        public static final Tolerance FLOAT32 = new Tolerance(1e-5, 1e-4);
        /** Float64 arithmetic against a float64 reference computed another way. */
        public static final Tolerance FLOAT64 = new Tolerance(1e-10, 1e-9);
        /** Float64 analytic gradients against central finite differences (step 1e-6: truncation ~1e-12). */
        public static final Tolerance FINITE_DIFFERENCE = new Tolerance(1e-7, 1e-5);

        public static Tolerance of(DType dtype) {
            return dtype == DType.FLOAT32 ? FLOAT32 : FLOAT64;
        }
    }

    public static void assertClose(String what, double[] expected, double[] actual, Tolerance tol) {
        assertEquals(expected.length, actual.length, what + ": element count");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            double allowed = tol.atol() + tol.rtol() * Math.abs(expected[i]);
            if (!(diff <= allowed) && (worst < 0 || diff - allowed > worstExcess)) {
                worst = i;
                worstExcess = diff - allowed;
            }
        }
        if (worst >= 0) {
            fail(BACKEND + ": " + what + ": worst difference at index " + worst + ": expected " + expected[worst] + ", got "
                    + actual[worst] + " (tolerance atol " + tol.atol() + ", rtol " + tol.rtol() + ")");
        }
    }

    public static void assertClose(String what, double expected, double actual, Tolerance tol) {
        assertClose(what, new double[] {expected}, new double[] {actual}, tol);
    }

    public static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    public static float[] randomFloats(SeededRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.uniform(-1, 1);
        }
        return v;
    }

    public static double[] randomDoubles(SeededRandom random, int n) {
        double[] v = new double[n];
        Arrays.setAll(v, i -> random.uniform(-1, 1));
        return v;
    }

    public static int[] randomIds(SeededRandom random, int n, int bound) {
        int[] v = new int[n];
        Arrays.setAll(v, i -> random.nextInt(bound));
        return v;
    }
}
