package dev.unroll.backend.cpu;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.SequenceSteps;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;
import dev.unroll.api.config.Backends;
import dev.unroll.cells.CellType;
import dev.unroll.cells.Parameter;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.conformance.Tolerance;
import dev.unroll.conformance.Tolerances;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.unroll.backend.cpu.Closeness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * oneDNN's matmul on W_hh packed once ({@link PackedRecurrentProduct}) against the plain GEMM on W_hh as stored:
 * the same sums in another order, so within the float32 tolerance, never bit for bit.
 */
class PackedRecurrentProductTest {
    /** Relative to {@code 1 + |expected|}, as in {@code CpuBackendTest}: a few ulp of a dot product's terms. */
    private static final double FLOAT32_TOLERANCE = 1e-5;

    private final Random random = new Random(7);
    private CpuBackend backend;
    private RangeExecutor executor;

    @BeforeEach
    void create() {
        backend = new CpuBackend(2);
        executor = new RangeExecutor(2);
    }

    @AfterEach
    void close() {
        executor.close();
        backend.close();
    }

    @Test
    void theRuleTakesTheLstmBandsItWasMeasuredFasterOnAndNothingElse() {
        assertTrue(PackedRecurrentProduct.pays(64, 512, 4 * 512, 2));    // LSTM (50, 64, 512, 512): bands of 1024
        assertTrue(PackedRecurrentProduct.pays(32, 1024, 4 * 1024, 2));  // LSTM (25, 32, 1024, 1024): bands of 2048
        assertFalse(PackedRecurrentProduct.pays(64, 512, 3 * 512, 2));   // GRU: bands of 768
        assertFalse(PackedRecurrentProduct.pays(64, 512, 512, 2));       // RNN
        assertFalse(PackedRecurrentProduct.pays(16, 128, 4 * 128, 2));   // 16 rows: no gain measured
        assertFalse(PackedRecurrentProduct.pays(64, 256, 4 * 256, 2));   // depth 256 at 64 rows: none either
    }

    /** Two bands, {@code into} already holding values (the product adds, like a GEMM with beta 1). */
    @Test
    void addsTheProductToWhatIsThereLikeTheGemmOnWeightsAsStored() {
        int rows = 5;
        int depth = 21;
        int width = 84;
        Tensor w = upload(width, depth);
        Tensor h = upload(rows, depth);
        Tensor start = upload(rows, width);
        Tensor expected = backend.allocate(DType.FLOAT32, rows, width);
        Tensor actual = backend.allocate(DType.FLOAT32, rows, width);
        backend.copy(start, expected);
        backend.copy(start, actual);
        backend.gemm(false, true, 1, h, w, 1, expected);
        try (RecurrentProduct packed = packed(w, rows, () -> {
            throw new AssertionError("no fallback for the planned rows");
        })) {
            packed.addTo(h, actual);
        }
        assertClose("packed product", expected.toDoubleArray(), actual.toDoubleArray(), FLOAT32_TOLERANCE);
    }

    /** Fewer rows than packed for (a batch of several lengths) go to the fallback, made once, closed with it. */
    @Test
    void otherRowCountsGoToOneFallbackClosedWithTheProduct() {
        int rows = 4;
        Tensor w = upload(32, 8);
        Tensor h = upload(rows, 8);
        Tensor fewer = backend.viewRows(h, 0, 3);
        Tensor expected = backend.allocate(DType.FLOAT32, 3, 32);
        Tensor actual = backend.allocate(DType.FLOAT32, 3, 32);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        RecurrentProduct packed = packed(w, rows, () -> {
            made.incrementAndGet();
            RecurrentProduct plain = RecurrentProduct.of(backend, w);
            return new RecurrentProduct() {
                @Override
                public void addTo(Tensor hPrev, Tensor into) {
                    plain.addTo(hPrev, into);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        });
        packed.addTo(fewer, actual);
        packed.addTo(fewer, actual);
        packed.close();
        backend.gemm(false, true, 2, fewer, w, 1, expected);
        assertEquals(1, made.get());
        assertEquals(1, closed.get());
        assertClose("fallback product", expected.toDoubleArray(), actual.toDoubleArray(), FLOAT32_TOLERANCE);
    }

    @Test
    void aWidthThatDoesNotSplitIntoTheBandsIsRefused() {
        Tensor w = upload(33, 8);
        assertThrows(IllegalArgumentException.class, () -> packed(w, 4, () -> RecurrentProduct.of(backend, w)));
    }

    /**
     * Through the backend, at a shape the rule packs (LSTM, 32 rows, H = 512: two bands of 1024 columns), the whole
     * sequence forward against the default loop on W_hh as stored.
     */
    @Test
    void anLstmSequenceForwardThatPacksAgreesWithTheLoopOnWeightsAsStored() {
        int steps = 2;
        int batch = 32;
        int hidden = 512;
        assertTrue(PackedRecurrentProduct.pays(batch, hidden, 4 * hidden, backend.threads()));
        Tensor w = backend.upload(DType.FLOAT32, scaled(randomValues(4 * hidden * hidden), 0.05), 4 * hidden,
                hidden);
        double[] gates = randomValues(steps * batch * 4 * hidden);
        double[] states = randomValues((steps + 1) * batch * hidden);
        Tensor[] ours = {backend.upload(DType.FLOAT32, gates, steps * batch, 4 * hidden),
            backend.upload(DType.FLOAT32, states, (steps + 1) * batch, hidden),
            backend.upload(DType.FLOAT32, states, (steps + 1) * batch, hidden)};
        Tensor[] reference = {backend.upload(DType.FLOAT32, gates, steps * batch, 4 * hidden),
            backend.upload(DType.FLOAT32, states, (steps + 1) * batch, hidden),
            backend.upload(DType.FLOAT32, states, (steps + 1) * batch, hidden)};
        backend.lstmSequenceForward(TimeDirection.FORWARD, null, ours[0], w, ours[1], ours[2]);
        SequenceSteps.lstmForward(backend, TimeDirection.FORWARD, null, reference[0], w,
                RecurrentProduct.of(backend, w), reference[1], reference[2]);
        String[] names = {"gates", "states", "cells"};
        for (int i = 0; i < 3; i++) {
            assertClose("packed LSTM forward: " + names[i], reference[i].toDoubleArray(), ours[i].toDoubleArray(),
                    FLOAT32_TOLERANCE);
        }
    }

    /**
     * A whole bidirectional LSTM layer at a shape the rule packs (32 rows, H = 512), on a batch of several lengths
     * (full-length steps packed, the others on the fallback, both directions), forward and backward against the
     * pure-Java backend, within the kit's cell tolerance.
     */
    @Test
    void aBidirectionalLstmOfSeveralLengthsThatPacksAgreesWithEjml() {
        int steps = 3;
        int batch = 32;
        int input = 8;
        int hidden = 512;
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, input, hidden).withBidirectional(true);
        int[] lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            lengths[i] = i < batch / 2 ? steps : 1 + i % steps;
        }
        double[] x = randomValues(steps * batch * input);
        double[] dy = randomValues(steps * batch * config.outputSize());
        Tolerance tolerance = Tolerances.forCells(DType.FLOAT32);
        try (Backend ejml = Backends.create("ejml");
             RecurrentStack ours = new RecurrentStack(backend, DType.FLOAT32, config);
             RecurrentStack reference = new RecurrentStack(ejml, DType.FLOAT32, config)) {
            ours.initialize(11);
            reference.initialize(11);
            double[][] oursResults = forwardAndBackward(ours, x, dy, lengths);
            double[][] referenceResults = forwardAndBackward(reference, x, dy, lengths);
            for (int r = 0; r < oursResults.length; r++) {
                for (int i = 0; i < oursResults[r].length; i++) {
                    double expected = referenceResults[r][i];
                    assertTrue(tolerance.accepts(expected, oursResults[r][i]), "result " + r + " (output, then "
                            + "each parameter's gradient) index " + i + ": " + oursResults[r][i] + " against "
                            + expected);
                }
            }
        }
    }

    /** The output, then every parameter's gradient, after one forward and a full backward. */
    private static double[][] forwardAndBackward(RecurrentStack stack, double[] x, double[] dy, int[] lengths) {
        Backend be = stack.backend();
        int steps = x.length / (lengths.length * stack.config().inputSize());
        List<double[]> results = new ArrayList<>();
        try (Tensor input = be.upload(DType.FLOAT32, x, steps, lengths.length, stack.config().inputSize());
             Tensor outputGradient = be.upload(DType.FLOAT32, dy, steps, lengths.length,
                     stack.config().outputSize());
             RecurrentPass pass = stack.forward(input, null, null, lengths, true)) {
            results.add(pass.output().toDoubleArray());
            stack.backward(pass, outputGradient, null, null).close();
        }
        for (Parameter p : stack.parameters()) {
            results.add(p.grad().toDoubleArray());
        }
        return results.toArray(new double[0][]);
    }

    private RecurrentProduct packed(Tensor w, int rows, Supplier<RecurrentProduct> fallback) {
        return new PackedRecurrentProduct(backend, executor, (CpuTensor) w, rows, 2, fallback);
    }

    private Tensor upload(int rows, int cols) {
        return backend.upload(DType.FLOAT32, randomValues(rows * cols), rows, cols);
    }

    private double[] randomValues(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static double[] scaled(double[] v, double factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return v;
    }
}
