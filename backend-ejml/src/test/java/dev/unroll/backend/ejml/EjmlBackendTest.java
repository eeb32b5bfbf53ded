package dev.unroll.backend.ejml;

import dev.unroll.api.Activation;
import dev.unroll.api.CompositeSteps;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Direct checks of the parts of the EJML backend that the generic conformance kit reaches only by chance:
 * GEMM operands that are offset views (the scratch-copy path) or start at offset 0 (the wrapping path),
 * the transposed-b route, beta == 0 over NaN, in-place element-wise ops, reshape sharing storage, and the
 * fused steps agreeing bit for bit with {@link CompositeSteps}.
 */
class EjmlBackendTest {
    /** FLOAT32 GEMM against a double reference: k products of values below 1 round at about k * 2^-24. */
    private static final double FLOAT32_GEMM_TOLERANCE = 1e-5;
    /** FLOAT64 GEMM against a double reference summed in another order. */
    private static final double FLOAT64_GEMM_TOLERANCE = 1e-13;

    private EjmlBackend backend = new EjmlBackend();
    private final Random random = new Random(42);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    /** Replaces the backend by one whose every GEMM, however small, takes EJML's concurrent routines. */
    private void routeEveryGemmThroughTheConcurrentOps(boolean concurrent) {
        if (concurrent) {
            backend.close();
            backend = new EjmlBackend(new GemmTuning(true, 1));
        }
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? FLOAT32_GEMM_TOLERANCE : FLOAT64_GEMM_TOLERANCE;
    }

    private double[] randomValues(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }

    /** A tensor [rows, cols] that is a row view at a non-zero offset of a larger random tensor. */
    private Tensor offsetView(DType dtype, int rows, int cols) {
        Tensor base = backend.upload(dtype, randomValues((rows + 3) * cols), rows + 3, cols);
        return backend.viewRows(base, 2, rows);
    }

    /** A fresh random tensor [rows, cols] at offset 0. */
    private Tensor whole(DType dtype, int rows, int cols) {
        return backend.upload(dtype, randomValues(rows * cols), rows, cols);
    }

    /** The values of a tensor as the dtype holds them, widened to double. */
    private static double[] values(Tensor t) {
        return t.toDoubleArray();
    }

    /** {@code alpha * op(a) * op(b) + beta * c} in double from the tensors' stored values. */
    private static double[] reference(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta,
                                      double[] c, int m, int n, int k) {
        double[] av = values(a);
        double[] bv = values(b);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? av[p * m + i] : av[i * k + p];
                    double y = transB ? bv[j * k + p] : bv[p * n + j];
                    sum += x * y;
                }
                out[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    private static void assertClose(String what, double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double bound = tolerance * (1 + Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    // ---------------------------------------------------------------- gemm

    @ParameterizedTest
    @CsvSource({"FLOAT32, false", "FLOAT64, false", "FLOAT32, true", "FLOAT64, true"})
    void gemmOnOffsetViewsAndWholeTensorsMatchesTheReferenceForEveryTransposeAndRoute(DType dtype,
                                                                                       boolean concurrent) {
        routeEveryGemmThroughTheConcurrentOps(concurrent);
        // m below and above the transposed-b threshold; n == 1 takes EJML's matrix-vector branch.
        int[][] shapes = {{3, 5, 4}, {GemmTuning.TRANSPOSE_B_MIN_ROWS + 1, 7, 6}, {17, 1, 9}, {1, 13, 1}};
        double[][] alphaBeta = {{1, 0}, {0.5, 1}, {-2, 0.25}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (boolean viewed : new boolean[] {false, true}) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        for (double[] ab : alphaBeta) {
                            int ar = transA ? k : m;
                            int ac = transA ? m : k;
                            int br = transB ? n : k;
                            int bc = transB ? k : n;
                            Tensor a = viewed ? offsetView(dtype, ar, ac) : whole(dtype, ar, ac);
                            Tensor b = viewed ? offsetView(dtype, br, bc) : whole(dtype, br, bc);
                            Tensor c = viewed ? offsetView(dtype, m, n) : whole(dtype, m, n);
                            double[] oldC = values(c);
                            backend.gemm(transA, transB, ab[0], a, b, ab[1], c);
                            double[] expected = reference(transA, transB, ab[0], a, b, ab[1], oldC, m, n, k);
                            assertClose(dtype + " gemm " + Arrays.toString(shape) + " concurrent=" + concurrent
                                    + " viewed=" + viewed
                                    + " transA=" + transA + " transB=" + transB + " alpha,beta="
                                    + Arrays.toString(ab), expected, values(c), tolerance(dtype));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32, false", "FLOAT64, false", "FLOAT32, true", "FLOAT64, true"})
    void gemmWithBetaZeroIgnoresNaNInC(DType dtype, boolean concurrent) {
        routeEveryGemmThroughTheConcurrentOps(concurrent);
        for (int m : new int[] {2, GemmTuning.TRANSPOSE_B_MIN_ROWS}) {
            for (int n : new int[] {1, 5}) {
                for (boolean viewed : new boolean[] {false, true}) {
                    for (boolean transA : new boolean[] {false, true}) {
                        for (boolean transB : new boolean[] {false, true}) {
                            int k = 3;
                            Tensor a = whole(dtype, transA ? k : m, transA ? m : k);
                            Tensor b = whole(dtype, transB ? n : k, transB ? k : n);
                            Tensor c = viewed ? offsetView(dtype, m, n) : whole(dtype, m, n);
                            backend.fill(c, Double.NaN);
                            backend.gemm(transA, transB, 1.5, a, b, 0, c);
                            double[] expected = reference(transA, transB, 1.5, a, b, 0, new double[m * n], m, n, k);
                            assertClose(dtype + " beta=0 over NaN, concurrent=" + concurrent + ", m=" + m + " n=" + n + " viewed=" + viewed
                                    + " transA=" + transA + " transB=" + transB, expected, values(c), tolerance(dtype));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gemmWithAlphaZeroReadsNeitherOperand(DType dtype) {
        Tensor a = whole(dtype, 4, 3);
        Tensor b = whole(dtype, 3, 2);
        backend.fill(a, Double.NaN);
        Tensor c = backend.upload(dtype, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        backend.gemm(false, false, 0, a, b, 0.5, c);
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4}, values(c));
        backend.gemm(false, false, 0, a, b, 0, c);
        assertArrayEquals(new double[8], values(c));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gemmOnAViewAtOffsetZeroLeavesTheRestOfTheBaseAlone(DType dtype) {
        Tensor base = backend.upload(dtype, new double[] {9, 9, 9, 9, 9, 9}, 3, 2);
        Tensor firstRow = backend.viewRows(base, 0, 1);
        Tensor a = backend.upload(dtype, new double[] {2}, 1, 1);
        Tensor b = backend.upload(dtype, new double[] {1, 3}, 1, 2);
        backend.gemm(false, false, 1, a, b, 0, firstRow);
        assertArrayEquals(new double[] {2, 6, 9, 9, 9, 9}, values(base));
    }

    // ---------------------------------------------------------------- element-wise, views, reshape

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementWiseOpsWorkInPlaceAndOnOffsetViews(DType dtype) {
        Tensor base = backend.upload(dtype, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor lastRows = backend.viewRows(base, 1, 2);
        backend.add(lastRows, lastRows, lastRows);
        assertArrayEquals(new double[] {1, 2, 6, 8, 10, 12}, values(base));
        backend.scale(0.5, lastRows, lastRows);
        backend.addScalar(lastRows, -1, lastRows);
        assertArrayEquals(new double[] {1, 2, 2, 3, 4, 5}, values(base));
        Tensor y = backend.upload(dtype, new double[] {0.5, -0.25}, 1, 2);
        backend.activate(Activation.RELU, y, y);
        assertArrayEquals(new double[] {0.5, 0}, values(y));
        backend.axpy(2, backend.viewRows(base, 0, 1), y);
        assertArrayEquals(new double[] {2.5, 4}, values(y));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeSharesStorageAndKeepsTheOffsetOfARowView(DType dtype) {
        Tensor base = backend.upload(dtype, new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        Tensor middle = backend.viewRows(base, 1, 2);
        Tensor flat = backend.reshape(middle, 4);
        assertArrayEquals(new double[] {2, 3, 4, 5}, values(flat));
        backend.fill(flat, -1);
        assertArrayEquals(new double[] {0, 1, -1, -1, -1, -1, 6, 7}, values(base));
        Tensor sequence = backend.reshape(base, 2, 2, 2);
        assertEquals(4, sequence.rows());
        assertEquals(2, sequence.cols());
        assertTrue(((EjmlTensor) sequence).isView());
        base.close();
        assertTrue(flat.isClosed());
        assertTrue(sequence.isClosed());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void copyColumnsWithinOneTensorCopiesFromTheOldValues(DType dtype) {
        Tensor t = backend.upload(dtype, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        backend.copyColumns(t, 0, t, 1, 2);
        assertArrayEquals(new double[] {1, 1, 2, 4, 4, 5}, values(t));
        Tensor base = backend.upload(dtype, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        // Overlapping views of one array, one row apart: a row-by-row copy would read rows it already wrote.
        backend.copyColumns(backend.viewRows(base, 0, 2), 1, backend.viewRows(base, 1, 2), 1, 1);
        assertArrayEquals(new double[] {1, 2, 3, 2, 5, 4}, values(base));
    }

    // ---------------------------------------------------------------- loss and reductions

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyIsStableForHugeLogitsAndSkipsPaddedRows(DType dtype) {
        Tensor logits = backend.upload(dtype, new double[] {1000, 0, 1000, 1000, 5, 5}, 3, 2);
        Tensor p = backend.allocate(dtype, 3, 2);
        double loss = backend.softmaxCrossEntropy(logits, new int[] {1, 0, -1}, p);
        // Row 0: -log softmax = 1000 + log(1 + e^-1000) = 1000; row 1: log 2; row 2 is padding.
        assertEquals(1000 + Math.log(2), loss, 1e-9);
        double[] probabilities = values(p);
        assertEquals(0, probabilities[1], 0);
        assertEquals(1, probabilities[0], 0);
        assertEquals(0.5, probabilities[4], 0);
        Tensor d = backend.allocate(dtype, 3, 2);
        backend.fill(d, Double.NaN);
        backend.softmaxCrossEntropyBackward(p, new int[] {1, 0, -1}, 2, d);
        assertArrayEquals(new double[] {2, -2, -1, 1, 0, 0}, values(d));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsSeeOnlyTheViewAndReportNaN(DType dtype) {
        Tensor base = backend.upload(dtype, new double[] {100, 3, -4, Double.NaN}, 4, 1);
        Tensor middle = backend.viewRows(base, 1, 2);
        assertEquals(25, backend.sumOfSquares(middle), 0);
        assertEquals(4, backend.maxAbs(middle), 0);
        assertTrue(Double.isNaN(backend.maxAbs(base)));
    }

    // ---------------------------------------------------------------- fused steps against the composites

    private Tensor copyOf(Tensor t) {
        Tensor c = backend.allocate(t.dtype(), t.shape());
        backend.copy(t, c);
        return c;
    }

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(values(expected), values(actual), what + ": fused and composite differ");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fusedLstmStepsGiveTheCompositeBitsOnOffsetViews(DType dtype) {
        int batch = 3;
        int hidden = 5;
        Tensor gates = offsetView(dtype, batch, 4 * hidden);
        backend.scale(4, gates, gates);
        Tensor cPrev = offsetView(dtype, batch, hidden);
        Tensor gates2 = copyOf(gates);
        Tensor c = backend.allocate(dtype, batch, hidden);
        Tensor h = backend.allocate(dtype, batch, hidden);
        Tensor c2 = backend.allocate(dtype, batch, hidden);
        Tensor h2 = backend.allocate(dtype, batch, hidden);
        backend.lstmStepForward(gates, cPrev, c, h);
        CompositeSteps.lstmForward(backend, gates2, cPrev, c2, h2);
        assertSameBits("lstm gates", gates2, gates);
        assertSameBits("lstm c", c2, c);
        assertSameBits("lstm h", h2, h);

        Tensor dh = whole(dtype, batch, hidden);
        Tensor dc = whole(dtype, batch, hidden);
        Tensor dc2 = copyOf(dc);
        Tensor dGates = backend.allocate(dtype, batch, 4 * hidden);
        Tensor dGates2 = backend.allocate(dtype, batch, 4 * hidden);
        backend.lstmStepBackward(gates, cPrev, c, dh, dc, dGates);
        CompositeSteps.lstmBackward(backend, gates, cPrev, c, dh, dc2, dGates2);
        assertSameBits("lstm dc", dc2, dc);
        assertSameBits("lstm dGates", dGates2, dGates);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fusedGruStepsGiveTheCompositeBits(DType dtype) {
        int batch = 2;
        int hidden = 4;
        Tensor gates = offsetView(dtype, batch, 3 * hidden);
        Tensor hProj = whole(dtype, batch, 3 * hidden);
        Tensor hPrev = offsetView(dtype, batch, hidden);
        Tensor gates2 = copyOf(gates);
        Tensor hProjBefore = copyOf(hProj);
        Tensor h = backend.allocate(dtype, batch, hidden);
        Tensor h2 = backend.allocate(dtype, batch, hidden);
        backend.gruStepForward(gates, hProj, hPrev, h);
        CompositeSteps.gruForward(backend, gates2, hProj, hPrev, h2);
        assertSameBits("gru gates", gates2, gates);
        assertSameBits("gru h", h2, h);
        assertSameBits("gru hProj unchanged", hProjBefore, hProj);

        Tensor dh = whole(dtype, batch, hidden);
        Tensor dh2 = copyOf(dh);
        Tensor dInput = backend.allocate(dtype, batch, 3 * hidden);
        Tensor dHidden = backend.allocate(dtype, batch, 3 * hidden);
        Tensor dInput2 = backend.allocate(dtype, batch, 3 * hidden);
        Tensor dHidden2 = backend.allocate(dtype, batch, 3 * hidden);
        backend.gruStepBackward(gates, hProj, hPrev, dh, dInput, dHidden);
        CompositeSteps.gruBackward(backend, gates, hProj, hPrev, dh2, dInput2, dHidden2);
        assertSameBits("gru dh", dh2, dh);
        assertSameBits("gru dInput", dInput2, dInput);
        assertSameBits("gru dHidden", dHidden2, dHidden);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fusedAdamGivesTheCompositeBits(DType dtype) {
        for (double weightDecay : new double[] {0, 0.01}) {
            Tensor param = whole(dtype, 3, 4);
            Tensor grad = whole(dtype, 3, 4);
            Tensor m = whole(dtype, 3, 4);
            Tensor v = whole(dtype, 3, 4);
            backend.activate(Activation.RELU, v, v);
            Tensor param2 = copyOf(param);
            Tensor m2 = copyOf(m);
            Tensor v2 = copyOf(v);
            for (long step = 1; step <= 3; step++) {
                backend.adamUpdate(param, grad, m, v, 1e-3, 0.9, 0.999, 1e-8, weightDecay, step);
                CompositeSteps.adam(backend, param2, grad, m2, v2, 1e-3, 0.9, 0.999, 1e-8, weightDecay, step);
            }
            assertSameBits("adam param, weight decay " + weightDecay, param2, param);
            assertSameBits("adam m", m2, m);
            assertSameBits("adam v", v2, v);
        }
    }

    @Test
    void anUploadThatDoesNotFitItsShapeLeavesNoTensorBehind() {
        assertThrows(IllegalArgumentException.class, () -> backend.upload(DType.FLOAT32, new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.upload(DType.FLOAT64, new double[7], 2, 3));
        assertEquals(0, backend.liveTensorCount(), "the tensor allocated for the data is closed again");
    }

    @Test
    void fusedStepsRejectBadShapesWithTheDefaultsMessage() {
        Tensor gates = backend.allocate(DType.FLOAT32, 2, 7);
        Tensor state = backend.allocate(DType.FLOAT32, 2, 2);
        try {
            backend.lstmStepForward(gates, state, state, state);
            fail("a gates tensor of 7 columns for hidden size 2 must be rejected");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("lstmStepForward: gates has shape [2, 7]"), e.getMessage());
        }
        assertFalse(gates.isClosed());
    }
}
