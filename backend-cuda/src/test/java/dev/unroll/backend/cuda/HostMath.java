package dev.unroll.backend.cuda;

import java.util.Random;

/** Plain-Java references and data for the GPU tests. */
final class HostMath {
    private HostMath() {
    }

    static float[] random(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return x;
    }

    /** {@code op(a)[m, k] * op(b)[k, n]} in double, row-major; also returns the sums of |products| for error bounds. */
    static double[][] gemm(boolean transA, boolean transB, float[] a, float[] b, int m, int n, int k) {
        double[] value = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                    abs += Math.abs(av * bv);
                }
                value[i * n + j] = sum;
                magnitude[i * n + j] = abs;
            }
        }
        return new double[][] {value, magnitude};
    }

    /** Index and values of the first difference between two float arrays, bit for bit, or null if equal. */
    static String firstBitDifference(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return "lengths " + expected.length + " vs " + actual.length;
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                return "index " + i + ": expected " + expected[i] + " but was " + actual[i];
            }
        }
        return null;
    }
}
