package dev.unroll.backend.cpu;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.SequenceSteps;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.config.Backends;
import dev.unroll.api.spi.ForwardingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.unroll.backend.cpu.Closeness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Focused checks of the parts of the cpu backend that the conformance kit reaches only indirectly: GEMM
 * on row views with every transpose combination, BLAS's beta = 0 rule, view offsets, and the fused steps
 * against the composite path built from this backend's own primitives.
 */
class CpuBackendTest {
    /** float32 agreement for results of short sums of products (a few ulps of values near 1). */
    private static final double FLOAT32_TOLERANCE = 1e-5;
    /** float64 agreement for the same. */
    private static final double FLOAT64_TOLERANCE = 1e-12;
    /** float32's unit roundoff, 2^-24: the error bound of one rounded operation, relative. */
    private static final double FLOAT32_UNIT_ROUNDOFF = 0x1p-24;
    /** float64's, 2^-53. */
    private static final double FLOAT64_UNIT_ROUNDOFF = 0x1p-53;
    /** The float32 tanh approximation's error bound, in float ulps of the exact result (see Float32Math). */
    private static final double FLOAT32_TANH_ULPS = 8;
    /** The exact float32 tanh's: half an ulp, plus what the double evaluation's 1e-12 relative error can tip. */
    private static final double FLOAT32_EXACT_TANH_ULPS = 0.5 + 1e-4;
    /** The float32 sigmoid's error bound (1 / (1 + exp(-x)) with a sub-ulp exp), in float ulps. */
    private static final double FLOAT32_SIGMOID_ULPS = 3;
    /** Relative error of a float32 column sum of 1000 rows, relative to the sum of magnitudes. */
    private static final double FLOAT32_SUM_RELATIVE = 1e-6;

    private CpuBackend backend;
    private final Random random = new Random(42);

    @BeforeEach
    void create() {
        backend = new CpuBackend(2);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? FLOAT32_TOLERANCE : FLOAT64_TOLERANCE;
    }

    private double[] randomValues(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** The values of {@code t} after rounding to its dtype, as the backend stores them. */
    private static double[] stored(Tensor t) {
        return t.toDoubleArray();
    }

    @Test
    void providerIsAvailableAndRankedAboveEjml() {
        CpuBackendProvider provider = new CpuBackendProvider();
        assertTrue(provider.availability().available(), provider.availability().reason());
        assertTrue(provider.rank() > 100);
        try (Backend be = Backends.create("cpu")) {
            assertEquals("cpu", be.name());
        }
    }

    @Test
    void oneDnnIsTheDefaultGemmEngineAndTheSettingChoosesAnother() {
        assertTrue(GemmEngine.ONEDNN.availability().available(), GemmEngine.ONEDNN.availability().reason());
        CpuBackendProvider provider = new CpuBackendProvider();
        try (CpuBackend be = (CpuBackend) provider.create(BackendSettings.empty())) {
            assertEquals("onednn", be.gemmEngine());
        }
        BackendSettings openblas = BackendSettings.of(Map.of(), Map.of("UNROLL_CPU_GEMM", "OpenBLAS"), Map.of());
        try (CpuBackend be = (CpuBackend) provider.create(openblas)) {
            assertEquals("openblas", be.gemmEngine());
        }
        BackendSettings unknown = BackendSettings.of(Map.of(CpuBackendProvider.GEMM_KEY, "mkl"), Map.of(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(unknown));
        assertEquals("unroll.cpu.gemm must be onednn or openblas, but system property unroll.cpu.gemm says 'mkl'",
                e.getMessage());
    }

    @Test
    void theFastTanhIsTheDefaultAndTheSettingChoosesTheExactOne() {
        CpuBackendProvider provider = new CpuBackendProvider();
        try (CpuBackend be = (CpuBackend) provider.create(BackendSettings.empty())) {
            assertEquals("fast", be.float32Tanh());
        }
        BackendSettings exact = BackendSettings.of(Map.of(), Map.of("UNROLL_CPU_TANH", "Exact"), Map.of());
        try (CpuBackend be = (CpuBackend) provider.create(exact)) {
            assertEquals("exact", be.float32Tanh());
        }
        BackendSettings unknown = BackendSettings.of(Map.of(CpuBackendProvider.TANH_KEY, "approx"), Map.of(),
                Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(unknown));
        assertEquals("unroll.cpu.tanh must be fast or exact, but system property unroll.cpu.tanh says 'approx'",
                e.getMessage());
    }

    /**
     * Every GEMM engine, transpose and dtype, for small shapes (one library call), the one-row and one-column
     * (gemv) shapes, and shapes large enough to be split into bands across the threads: by columns
     * ({@code n >= m}, with a last band shorter than the others), by rows, and both gemv shapes.
     */
    @ParameterizedTest
    @MethodSource("enginesTransposesAndDtypes")
    void gemmOnRowViewsMatchesNaiveProductForEveryTranspose(GemmEngine engine, boolean transA, boolean transB,
                                                            DType dtype) {
        try (CpuBackend be = new CpuBackend(2, engine)) {
            assertEquals(engine.settingValue(), be.gemmEngine());
            int[][] mnk = {{5, 7, 3}, {1, 7, 3}, {5, 1, 3}, {1, 1, 4}, {1, 9, 1}, {64, 200, 400}, {300, 70, 300},
                    {1, 700, 300}, {600, 1, 300}};
            for (int[] shape : mnk) {
                checkGemm(be, transA, transB, dtype, shape[0], shape[1], shape[2]);
            }
        }
    }

    static Stream<Arguments> enginesTransposesAndDtypes() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (GemmEngine engine : GemmEngine.values()) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int t = 0; t < 4; t++) {
                    cases.add(Arguments.of(engine, (t & 1) != 0, (t & 2) != 0, dtype));
                }
            }
        }
        return cases.build();
    }

    private void checkGemm(Backend backend, boolean transA, boolean transB, DType dtype, int m, int n, int k) {
        // Operands are row views in the middle of larger tensors, so a wrong offset or leading dimension shows.
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        Tensor aBase = backend.upload(dtype, randomValues((aRows + 7) * aCols), aRows + 7, aCols);
        Tensor aExact = backend.viewRows(aBase, 3, aRows);
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        Tensor seqB = backend.upload(dtype, randomValues((bRows + 10) * bCols), bRows + 10, bCols);
        Tensor b = backend.viewRows(seqB, 2, bRows);
        Tensor cBase = backend.upload(dtype, randomValues((m + 5) * n), m + 5, n);
        Tensor c = backend.viewRows(cBase, 3, m);
        double alpha = 0.75;
        double beta = -0.5;
        double[] av = stored(aExact);
        double[] bv = stored(b);
        double[] cv = stored(c);
        double[] expected = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double sumOfMagnitudes = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? av[p * m + i] : av[i * k + p];
                    double y = transB ? bv[j * k + p] : bv[p * n + j];
                    sum += x * y;
                    sumOfMagnitudes += Math.abs(x * y);
                }
                expected[i * n + j] = alpha * sum + beta * cv[i * n + j];
                magnitude[i * n + j] = Math.abs(alpha) * sumOfMagnitudes + Math.abs(beta * cv[i * n + j]);
            }
        }
        double[] cBefore = stored(cBase);
        backend.gemm(transA, transB, alpha, aExact, b, beta, c);
        double[] actual = stored(c);
        // Any summation order is within (k + 2) unit roundoffs of the magnitudes summed (Higham, Accuracy and
        // Stability of Numerical Algorithms, 3.1); a wrong offset or band is off by the values themselves.
        double roundoff = dtype == DType.FLOAT32 ? FLOAT32_UNIT_ROUNDOFF : FLOAT64_UNIT_ROUNDOFF;
        for (int i = 0; i < expected.length; i++) {
            double bound = (k + 2) * roundoff * magnitude[i];
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                throw new AssertionError("gemm " + dtype + " " + m + "x" + n + "x" + k + " transA=" + transA
                        + " transB=" + transB + ": index " + i + " expected " + expected[i] + " but was " + actual[i]
                        + " (bound " + bound + ")");
            }
        }
        double[] cAfter = stored(cBase);
        for (int i = 0; i < cBefore.length; i++) {
            if (i < 3 * n || i >= (3 + m) * n) {
                assertEquals(cBefore[i], cAfter[i], "gemm wrote outside its row view at " + i);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2,4,FLOAT32", "1,4,FLOAT32", "2,1,FLOAT32", "2,4,FLOAT64", "1,4,FLOAT64", "2,1,FLOAT64"})
    void gemmWithBetaZeroIgnoresNaNInOutput(int m, int n, DType dtype) {
        Tensor a = backend.upload(dtype, randomValues(m * 3), m, 3);
        Tensor b = backend.upload(dtype, randomValues(3 * n), 3, n);
        Tensor c = backend.allocate(dtype, m, n);
        backend.fill(c, Double.NaN);
        backend.gemm(false, false, 1, a, b, 0, c);
        for (double v : stored(c)) {
            assertTrue(Double.isFinite(v), "beta = 0 let NaN through (" + m + "x" + n + "): " + v);
        }
    }

    @Test
    void rowViewsAndReshapesShareStorageAtTheRightOffset() {
        Tensor seq = backend.allocate(DType.FLOAT32, 4, 2, 3);  // [T=4, B=2, F=3]
        Tensor step2 = backend.viewRows(seq, 2 * 2, 2);
        backend.fill(step2, 7);
        Tensor flat = backend.reshape(seq, 24);
        float[] all = flat.toFloatArray();
        for (int i = 0; i < 24; i++) {
            assertEquals(i >= 12 && i < 18 ? 7f : 0f, all[i], "element " + i);
        }
        Tensor row = backend.viewRows(step2, 1, 1);
        backend.upload(new float[] {1, 2, 3}, row);
        assertEquals(2f, seq.toFloatArray()[16]);
        seq.close();
        assertTrue(step2.isClosed() && row.isClosed());
        assertEquals(0, backend.liveTensorCount());
    }

    @Test
    void aRowViewSeenAsAnNd4jArraySharesTheStorage() {
        Tensor seq = backend.upload(DType.FLOAT32, new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        CpuTensor view = (CpuTensor) backend.viewRows(seq, 1, 2);
        org.nd4j.linalg.api.ndarray.INDArray array = view.asNd4j();
        assertArrayEquals(new long[] {2, 2}, array.shape());
        assertEquals(4f, array.getFloat(1, 0));
        array.putScalar(0, 1, 42f);
        assertEquals(42f, seq.toFloatArray()[3]);
    }

    @Test
    void copyRowsAndColumnsBetweenViews() {
        Tensor src = backend.upload(DType.FLOAT32, new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor dst = backend.allocate(DType.FLOAT32, 2, 5);
        backend.copyColumns(backend.viewRows(src, 1, 2), 0, dst, 3, 2);
        assertArrayEquals(new float[] {0, 0, 0, 3, 4, 0, 0, 0, 5, 6}, dst.toFloatArray());
        Tensor wide = backend.allocate(DType.FLOAT32, 3, 2);
        backend.copyRows(src, 0, wide, 1, 2);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, wide.toFloatArray());
    }

    @Test
    void activationsAreAccurateAcrossTheirRange() {
        int n = 2001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i - 1000) / 50.0;  // -20 .. 20, including 0 and the series/exp boundary region
        }
        x[1000] = 1e-30;
        Tensor in = backend.upload(DType.FLOAT64, x, n);
        Tensor out = backend.allocate(DType.FLOAT64, n);
        backend.activate(Activation.TANH, in, out);
        double[] tanh = stored(out);
        backend.activate(Activation.SIGMOID, in, out);
        double[] sigmoid = stored(out);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.tanh(x[i]), tanh[i], 4 * Math.ulp(Math.tanh(x[i])), "tanh(" + x[i] + ")");
            double s = 1 / (1 + Math.exp(-x[i]));
            assertEquals(s, sigmoid[i], 4 * Math.ulp(s), "sigmoid(" + x[i] + ")");
        }
    }

    /** -20 .. 20 in steps of 1e-4: through 0, the fast tanh's clamp at 7.9 and float tanh's saturation at 9.01. */
    private static float[] activationGrid() {
        float[] x = new float[400_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 200_000) / 10_000f;
        }
        return x;
    }

    /** {@code actual = f(x)} within {@code ulps} float ulps of the exact value (NaN fails). */
    private static void assertWithinUlps(String f, float x, float actual, double exact, double ulps) {
        double ulp = Math.ulp((float) exact);
        if (!(Math.abs(actual - exact) <= ulps * ulp)) {
            throw new AssertionError(f + "(" + x + ") = " + actual + ", exact " + exact + ": "
                    + Math.abs(actual - exact) / ulp + " ulps");
        }
    }

    /**
     * unroll.cpu.tanh=exact: correctly rounded (half an ulp), but where the double evaluation's own error (1e-12
     * relative, see Float32Math#exactTanh) tips a value next to a halfway point; the signs of zero, NaN, the
     * infinities and the tail between 7.9 and 9.01, where the fast tanh already returns 1, come out right.
     */
    @Test
    void theExactFloat32TanhIsCorrectlyRoundedOverTheWholeRange() {
        float[] x = activationGrid();
        int n = x.length;
        try (CpuBackend exact = new CpuBackend(2, GemmEngine.preferred(), Float32Tanh.EXACT);
             Tensor in = exact.upload(DType.FLOAT32, x, n);
             Tensor out = exact.allocate(DType.FLOAT32, n)) {
            exact.activate(Activation.TANH, in, out);
            float[] tanh = out.toFloatArray();
            for (int i = 0; i < n; i++) {
                assertWithinUlps("tanh", x[i], tanh[i], Math.tanh(x[i]), FLOAT32_EXACT_TANH_ULPS);
            }
            float[] special = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 8.5f, 1e-30f,
                Float.MIN_VALUE};
            try (Tensor sin = exact.upload(DType.FLOAT32, special, special.length);
                 Tensor sout = exact.allocate(DType.FLOAT32, special.length)) {
                exact.activate(Activation.TANH, sin, sout);
                float[] t = sout.toFloatArray();
                assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t[0]), "tanh(-0) is -0");
                assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(t[1]), "tanh(+0) is +0");
                assertTrue(Float.isNaN(t[2]), "NaN stays NaN");
                assertEquals(1f, t[3]);
                assertEquals(-1f, t[4]);
                assertEquals(Math.nextDown(1f), t[5], "tanh(8.5) = 1 - 8.3e-8 rounds below 1");
                assertEquals(1e-30f, t[6]);
                assertEquals(Float.MIN_VALUE, t[7]);
            }
        }
    }

    @Test
    void float32ActivationsStayWithinTheirStatedErrorOverTheWholeRange() {
        float[] x = activationGrid();
        int n = x.length;
        Tensor in = backend.upload(DType.FLOAT32, x, n);
        Tensor out = backend.allocate(DType.FLOAT32, n);
        backend.activate(Activation.TANH, in, out);
        float[] tanh = out.toFloatArray();
        backend.activate(Activation.SIGMOID, in, out);
        float[] sigmoid = out.toFloatArray();
        for (int i = 0; i < n; i++) {
            assertWithinUlps("tanh", x[i], tanh[i], Math.tanh(x[i]), FLOAT32_TANH_ULPS);
            assertWithinUlps("sigmoid", x[i], sigmoid[i], 1 / (1 + Math.exp(-x[i])), FLOAT32_SIGMOID_ULPS);
        }
        assertEquals(0f, tanh[200_000]);
        assertEquals(0.5f, sigmoid[200_000]);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationsKeepNaN(Activation f) {
        for (DType dtype : DType.values()) {
            Tensor t = backend.upload(dtype, new double[] {Double.NaN, 1}, 2);
            backend.activate(f, t, t);
            assertTrue(Double.isNaN(t.toDoubleArray()[0]), f + " " + dtype + " lost a NaN");
        }
    }

    @Test
    void float32ColumnSumsOfManyRowsAreAccurate() {
        int rows = 1000;
        int cols = 300;  // more than one chunk of columns, and a partial one
        double[] values = randomValues(rows * cols);
        Tensor m = backend.upload(DType.FLOAT32, values, rows, cols);
        float[] stored = m.toFloatArray();
        Tensor sums = backend.allocate(DType.FLOAT32, cols);
        backend.fill(sums, Double.NaN);
        backend.columnSums(m, 0, sums);
        backend.columnSums(m, 0.5, sums);  // 1.5 times the sums
        float[] actual = sums.toFloatArray();
        for (int j = 0; j < cols; j++) {
            double exact = 0;
            double magnitude = 0;
            for (int i = 0; i < rows; i++) {
                exact += stored[i * cols + j];
                magnitude += Math.abs(stored[i * cols + j]);
            }
            assertEquals(1.5 * exact, actual[j], FLOAT32_SUM_RELATIVE * 1.5 * magnitude, "column " + j);
        }
    }

    /**
     * The float32 sequence forwards run their steps on a transposed copy of W_hh (this backend's
     * {@code recurrentProduct}); they must agree with the loop on W_hh as stored. H = 37 leaves the transpose's
     * 16 x 16 tiles partial at both edges.
     */
    @ParameterizedTest
    @CsvSource({"4", "3", "1"})
    void sequenceForwardsOnTransposedWeightsAgreeWithTheReferenceLoop(int gateCount) {
        int steps = 4;
        int batch = 3;
        int hidden = 37;
        double[] gates = randomValues(steps * batch * gateCount * hidden);
        double[] weights = randomValues(gateCount * hidden * hidden);
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= 0.2;
        }
        double[] states = randomValues((steps + 1) * batch * hidden);
        Tensor w = backend.upload(DType.FLOAT32, weights, gateCount * hidden, hidden);
        Tensor[] fused = sequenceBuffers(gates, states, steps, batch, gateCount, hidden);
        Tensor[] reference = sequenceBuffers(gates, states, steps, batch, gateCount, hidden);
        // buffers: gates, states, cells (LSTM) or hidden projection (GRU)
        switch (gateCount) {
            case 4 -> {
                backend.lstmSequenceForward(TimeDirection.FORWARD, null, fused[0], w, fused[1], fused[2]);
                SequenceSteps.lstmForward(backend, TimeDirection.FORWARD, null, reference[0], w,
                        RecurrentProduct.of(backend, w), reference[1], reference[2]);
            }
            case 3 -> {
                Tensor biasHh = backend.upload(DType.FLOAT32, randomValues(3 * hidden), 3 * hidden);
                backend.gruSequenceForward(TimeDirection.FORWARD, null, fused[0], fused[2], w, biasHh, fused[1]);
                SequenceSteps.gruForward(backend, TimeDirection.FORWARD, null, reference[0], reference[2], w,
                        RecurrentProduct.of(backend, w), biasHh, reference[1]);
            }
            default -> {
                backend.rnnSequenceForward(TimeDirection.FORWARD, null, Activation.TANH, fused[0], w, fused[1]);
                SequenceSteps.rnnForward(backend, TimeDirection.FORWARD, null, Activation.TANH, reference[0], w,
                        RecurrentProduct.of(backend, w), reference[1]);
            }
        }
        String[] names = {"gates", "states", gateCount == 4 ? "cells" : "hidden projection"};
        for (int i = gateCount == 1 ? 1 : 0; i < (gateCount == 1 ? 2 : 3); i++) {
            assertClose("sequence forward, " + gateCount + " gates: " + names[i], stored(reference[i]),
                    stored(fused[i]), FLOAT32_TOLERANCE);
        }
    }

    /** Products made for two sequences at once each keep their own W_hh, and work on fewer rows than made for. */
    @Test
    void recurrentProductsOfTwoWeightsStayApart() {
        int hidden = 21;
        int rows = 5;
        Tensor w1 = backend.upload(DType.FLOAT32, randomValues(4 * hidden * hidden), 4 * hidden, hidden);
        Tensor w2 = backend.upload(DType.FLOAT32, randomValues(4 * hidden * hidden), 4 * hidden, hidden);
        Tensor h = backend.upload(DType.FLOAT32, randomValues(rows * hidden), rows, hidden);
        Tensor fewer = backend.viewRows(h, 1, 3);
        Tensor expected = backend.allocate(DType.FLOAT32, 3, 4 * hidden);
        Tensor actual = backend.allocate(DType.FLOAT32, 3, 4 * hidden);
        try (RecurrentProduct first = backend.recurrentProduct(w1, rows);
             RecurrentProduct second = backend.recurrentProduct(w2, rows)) {
            first.addTo(fewer, actual);
            second.addTo(fewer, actual);
        }
        backend.gemm(false, true, 1, fewer, w1, 1, expected);
        backend.gemm(false, true, 1, fewer, w2, 1, expected);
        assertClose("two products", stored(expected), stored(actual), FLOAT32_TOLERANCE);
    }

    private Tensor[] sequenceBuffers(double[] gates, double[] states, int steps, int batch, int gateCount,
                                     int hidden) {
        Tensor g = backend.upload(DType.FLOAT32, gates, steps * batch, gateCount * hidden);
        Tensor h = backend.upload(DType.FLOAT32, states, (steps + 1) * batch, hidden);
        Tensor third = gateCount == 4
                ? backend.upload(DType.FLOAT32, states, (steps + 1) * batch, hidden)
                : backend.allocate(DType.FLOAT32, steps * batch, gateCount * hidden);
        return new Tensor[] {g, h, third};
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fusedStepsAgreeWithTheCompositePathOnThisBackendsPrimitives(DType dtype) {
        Backend composite = new ForwardingBackend(backend, "cpu-composite");
        int batch = 3;
        int hidden = 5;
        double[] lstmGates = randomValues(batch * 4 * hidden);
        double[] cPrev = randomValues(batch * hidden);
        double[] dh = randomValues(batch * hidden);
        double[] dc = randomValues(batch * hidden);
        double[][] fused = lstm(backend, dtype, lstmGates, cPrev, dh, dc, batch, hidden);
        double[][] reference = lstm(composite, dtype, lstmGates, cPrev, dh, dc, batch, hidden);
        String[] names = {"gates", "c", "h", "dc", "dGates"};
        for (int i = 0; i < names.length; i++) {
            assertClose("lstm " + names[i] + " " + dtype, reference[i], fused[i], tolerance(dtype));
        }

        double[] gruGates = randomValues(batch * 3 * hidden);
        double[] hProj = randomValues(batch * 3 * hidden);
        double[] hPrev = randomValues(batch * hidden);
        double[][] fusedGru = gru(backend, dtype, gruGates, hProj, hPrev, dh, batch, hidden);
        double[][] referenceGru = gru(composite, dtype, gruGates, hProj, hPrev, dh, batch, hidden);
        String[] gruNames = {"gates", "h", "dh", "dInput", "dHidden"};
        for (int i = 0; i < gruNames.length; i++) {
            assertClose("gru " + gruNames[i] + " " + dtype, referenceGru[i], fusedGru[i], tolerance(dtype));
        }
    }

    private static double[][] lstm(Backend be, DType dtype, double[] gatesIn, double[] cPrevIn, double[] dhIn,
                                   double[] dcIn, int batch, int hidden) {
        Tensor gates = be.upload(dtype, gatesIn, batch, 4 * hidden);
        Tensor cPrev = be.upload(dtype, cPrevIn, batch, hidden);
        Tensor c = be.allocate(dtype, batch, hidden);
        Tensor h = be.allocate(dtype, batch, hidden);
        be.lstmStepForward(gates, cPrev, c, h);
        Tensor dh = be.upload(dtype, dhIn, batch, hidden);
        Tensor dc = be.upload(dtype, dcIn, batch, hidden);
        Tensor dGates = be.allocate(dtype, batch, 4 * hidden);
        be.lstmStepBackward(gates, cPrev, c, dh, dc, dGates);
        return new double[][] {stored(gates), stored(c), stored(h), stored(dc), stored(dGates)};
    }

    private static double[][] gru(Backend be, DType dtype, double[] gatesIn, double[] hProjIn, double[] hPrevIn,
                                  double[] dhIn, int batch, int hidden) {
        Tensor gates = be.upload(dtype, gatesIn, batch, 3 * hidden);
        Tensor hProj = be.upload(dtype, hProjIn, batch, 3 * hidden);
        Tensor hPrev = be.upload(dtype, hPrevIn, batch, hidden);
        Tensor h = be.allocate(dtype, batch, hidden);
        be.gruStepForward(gates, hProj, hPrev, h);
        Tensor dh = be.upload(dtype, dhIn, batch, hidden);
        Tensor dInput = be.allocate(dtype, batch, 3 * hidden);
        Tensor dHidden = be.allocate(dtype, batch, 3 * hidden);
        be.gruStepBackward(gates, hProj, hPrev, dh, dInput, dHidden);
        return new double[][] {stored(gates), stored(h), stored(dh), stored(dInput), stored(dHidden)};
    }

    /**
     * Large enough (over 250k units) for Float32Kernels to split a fused step between threads: hidden 512
     * cuts rows into column tiles, hidden 100 packs two rows per tile with a last tile of one row (odd batch).
     */
    @ParameterizedTest
    @CsvSource({"512,512", "2501,100"})
    void fusedKernelsGiveTheSameResultSplitAcrossThreadsAsOnOneThread(int batch, int hidden) {
        double[] gates = randomValues(batch * 4 * hidden);
        double[] cPrev = randomValues(batch * hidden);
        double[] dh = randomValues(batch * hidden);
        double[] dc = randomValues(batch * hidden);
        double[][] parallel = lstm(backend, DType.FLOAT32, gates, cPrev, dh, dc, batch, hidden);
        double[] gruGates = randomValues(batch * 3 * hidden);
        double[] hProj = randomValues(batch * 3 * hidden);
        double[][] parallelGru = gru(backend, DType.FLOAT32, gruGates, hProj, cPrev, dh, batch, hidden);
        double[][] compositeGru = gru(new ForwardingBackend(backend, "cpu-composite"), DType.FLOAT32, gruGates,
                hProj, cPrev, dh, batch, hidden);
        try (CpuBackend single = new CpuBackend(1)) {
            double[][] serial = lstm(single, DType.FLOAT32, gates, cPrev, dh, dc, batch, hidden);
            double[][] composite = lstm(new ForwardingBackend(single, "cpu-composite"), DType.FLOAT32, gates, cPrev,
                    dh, dc, batch, hidden);
            double[][] serialGru = gru(single, DType.FLOAT32, gruGates, hProj, cPrev, dh, batch, hidden);
            for (int i = 0; i < serial.length; i++) {
                assertArrayEquals(serial[i], parallel[i], "lstm output " + i);
                assertClose("lstm output " + i + " against the composite", composite[i], parallel[i],
                        FLOAT32_TOLERANCE);
                assertArrayEquals(serialGru[i], parallelGru[i], "gru output " + i);
                assertClose("gru output " + i + " against the composite", compositeGru[i], parallelGru[i],
                        FLOAT32_TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamUpdateAgreesWithTheComposite(DType dtype) {
        Backend composite = new ForwardingBackend(backend, "cpu-composite");
        double[] p = randomValues(40);
        double[] g = randomValues(40);
        double[] m = randomValues(40);
        double[] v = randomValues(40);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        double[][] results = new double[2][];
        Backend[] backends = {backend, composite};
        for (int r = 0; r < 2; r++) {
            Backend be = backends[r];
            Tensor tp = be.upload(dtype, p, 8, 5);
            Tensor tg = be.upload(dtype, g, 8, 5);
            Tensor tm = be.upload(dtype, m, 8, 5);
            Tensor tv = be.upload(dtype, v, 8, 5);
            for (long step = 1; step <= 3; step++) {
                be.adamUpdate(tp, tg, tm, tv, 1e-2, 0.9, 0.999, 1e-8, 0.01, step);
            }
            results[r] = stored(tp);
        }
        assertClose("adam param " + dtype, results[1], results[0], tolerance(dtype));
    }
}
