package dev.unroll.training.nn;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import org.junit.jupiter.api.Test;

/** Dense and Embedding against host loops written from their definitions. */
class LayersTest extends FreshBackendPerTest {
    private final SeededRandom random = new SeededRandom(21);

    @Test
    void denseForwardAndBackwardFollowTheirDefinitions() {
        int n = 3;
        int in = 4;
        int out = 2;
        try (Dense dense = new Dense(backend, DType.FLOAT64, "head", in, out)) {
            dense.initialize(random);
            double[] w = dense.parameter("head.weight").value().toDoubleArray();
            double[] b = dense.parameter("head.bias").value().toDoubleArray();
            double[] xv = TestSupport.randomDoubles(random, n * in);
            double[] dyv = TestSupport.randomDoubles(random, n * out);
            try (Tensor x = backend.upload(DType.FLOAT64, xv, n, in);
                 Tensor y = backend.allocate(DType.FLOAT64, n, out);
                 Tensor dy = backend.upload(DType.FLOAT64, dyv, n, out);
                 Tensor dx = backend.allocate(DType.FLOAT64, n, in)) {
                dense.forward(x, y);
                dense.backward(x, dy, dx);
                dense.backward(x, dy, null); // accumulates a second time
                double[] expectedY = new double[n * out];
                double[] expectedDx = new double[n * in];
                double[] expectedDw = new double[out * in];
                double[] expectedDb = new double[out];
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < out; o++) {
                        double s = b[o];
                        for (int i = 0; i < in; i++) {
                            s += xv[r * in + i] * w[o * in + i];
                            expectedDx[r * in + i] += dyv[r * out + o] * w[o * in + i];
                            expectedDw[o * in + i] += 2 * dyv[r * out + o] * xv[r * in + i];
                        }
                        expectedY[r * out + o] = s;
                        expectedDb[o] += 2 * dyv[r * out + o];
                    }
                }
                assertClose("y", expectedY, y.toDoubleArray(), Tolerance.FLOAT64);
                assertClose("dx", expectedDx, dx.toDoubleArray(), Tolerance.FLOAT64);
                assertClose("dW (accumulated twice)", expectedDw,
                        dense.parameter("head.weight").grad().toDoubleArray(), Tolerance.FLOAT64);
                assertClose("db (accumulated twice)", expectedDb,
                        dense.parameter("head.bias").grad().toDoubleArray(), Tolerance.FLOAT64);
            }
        }
    }

    @Test
    void denseInitializationIsPyTorchsUniformBound() {
        try (Dense dense = new Dense(backend, DType.FLOAT32, "d", 16, 8)) {
            dense.initialize(random);
            double bound = 1 / Math.sqrt(16);
            for (NamedParameter p : dense.parameters()) {
                double maxAbs = backend.maxAbs(p.value());
                assertEquals(true, maxAbs < bound && maxAbs > 0, p.name() + " max |value| " + maxAbs);
            }
        }
    }

    @Test
    void embeddingGathersRowsAndScatterAddsRepeatedIds() {
        try (Embedding embedding = new Embedding(backend, DType.FLOAT64, "embedding", 4, 3)) {
            embedding.initialize(random);
            double[] table = embedding.parameter("embedding.weight").value().toDoubleArray();
            int[] ids = {2, 0, 2};
            double[] dOutValues = TestSupport.randomDoubles(random, 9);
            try (Tensor out = backend.allocate(DType.FLOAT64, 3, 3);
                 Tensor dOut = backend.upload(DType.FLOAT64, dOutValues, 3, 3)) {
                embedding.forward(ids, out);
                embedding.backward(ids, dOut);
                double[] expectedOut = new double[9];
                double[] expectedGrad = new double[12];
                for (int r = 0; r < 3; r++) {
                    for (int j = 0; j < 3; j++) {
                        expectedOut[r * 3 + j] = table[ids[r] * 3 + j];
                        expectedGrad[ids[r] * 3 + j] += dOutValues[r * 3 + j];
                    }
                }
                assertClose("embedded rows", expectedOut, out.toDoubleArray(), Tolerance.FLOAT64);
                assertClose("weight grad", expectedGrad,
                        embedding.parameter("embedding.weight").grad().toDoubleArray(), Tolerance.FLOAT64);
            }
        }
    }

    @Test
    void embeddingRejectsAnIdOutsideTheVocabulary() {
        try (Embedding embedding = new Embedding(backend, DType.FLOAT32, "e", 4, 2);
             Tensor out = backend.allocate(DType.FLOAT32, 1, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> embedding.forward(new int[] {4}, out));
            assertEquals(true, e.getMessage().contains("token id 4"), e.getMessage());
        }
    }

    @Test
    void seededRandomIsReproducibleAndItsStateRestores() {
        SeededRandom a = new SeededRandom(5);
        a.nextLong();
        long saved = a.state();
        long next = a.nextLong();
        SeededRandom b = new SeededRandom(0);
        b.restore(saved);
        assertEquals(next, b.nextLong());
    }
}
