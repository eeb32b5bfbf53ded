package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.unroll.backend.cpu.Closeness.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Closing a recurrent product twice (a try-with-resources around an explicit close, say) must give its transposed
 * copy of W_hh back to the backend's shelf once: given back twice, the next two products took the same copy, and the
 * second one's transpose overwrote the first one's weights, so the first product multiplied by the wrong W_hh.
 */
class RecurrentProductClosedTwiceTest {
    /** Relative to {@code 1 + |expected|}, as in {@code CpuBackendTest}: a few ulp of a dot product's terms. */
    private static final double FLOAT32_TOLERANCE = 1e-5;
    private static final int ROWS = 4;
    private static final int HIDDEN = 8;
    private static final int WIDTH = 4 * HIDDEN;

    private final Random random = new Random(3);
    private CpuBackend backend;

    @BeforeEach
    void create() {
        // oneDNN, float32, more than one row, too small to pack: the product on a transposed copy of W_hh.
        backend = new CpuBackend(2, GemmEngine.ONEDNN);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aProductOnATransposedCopyClosedTwiceLeavesLaterProductsTheirOwnCopies() {
        Tensor w0 = weights();
        RecurrentProduct first = backend.recurrentProduct(w0, ROWS);
        assertFalse(first instanceof PackedRecurrentProduct, "the shape must take the transposed copy");
        first.close();
        first.close();
        checkTwoProductsStayApart();
    }

    @Test
    void aPackedProductClosedTwiceGivesItsFallbackBackOnce() {
        // Packed at 32 rows, H = 512 (two bands of 1024); a call on fewer rows makes the transposed fallback.
        int rows = 32;
        int hidden = 512;
        Tensor w = backend.allocate(DType.FLOAT32, 4 * hidden, hidden);
        RecurrentProduct packed = backend.recurrentProduct(w, rows);
        assertInstanceOf(PackedRecurrentProduct.class, packed, "the shape must take the packed path");
        packed.addTo(backend.allocate(DType.FLOAT32, rows - 1, hidden), backend.allocate(DType.FLOAT32, rows - 1,
                4 * hidden));
        packed.close();
        packed.close();
        // The fallback's copy is [H, 4H]; two products of that shape must each get one of their own.
        Tensor w1 = upload(4 * hidden, hidden);
        Tensor w2 = upload(4 * hidden, hidden);
        Tensor h = upload(2, hidden);
        try (RecurrentProduct p1 = backend.recurrentProduct(w1, 2);
             RecurrentProduct p2 = backend.recurrentProduct(w2, 2)) {
            assertFalse(p1 instanceof PackedRecurrentProduct || p2 instanceof PackedRecurrentProduct);
            assertProduct("product of W1", p1, h, w1);
            assertProduct("product of W2", p2, h, w2);
        }
    }

    private void checkTwoProductsStayApart() {
        Tensor w1 = weights();
        Tensor w2 = weights();
        Tensor h = upload(ROWS, HIDDEN);
        try (RecurrentProduct p1 = backend.recurrentProduct(w1, ROWS);
             RecurrentProduct p2 = backend.recurrentProduct(w2, ROWS)) {
            assertProduct("product of W1", p1, h, w1);
            assertProduct("product of W2", p2, h, w2);
        }
    }

    /** {@code product.addTo(h, 0)} against the plain GEMM {@code h w^T}. */
    private void assertProduct(String what, RecurrentProduct product, Tensor h, Tensor w) {
        Tensor expected = backend.allocate(DType.FLOAT32, h.rows(), w.rows());
        Tensor actual = backend.allocate(DType.FLOAT32, h.rows(), w.rows());
        backend.gemm(false, true, 1, h, w, 0, expected);
        product.addTo(h, actual);
        assertClose(what, expected.toDoubleArray(), actual.toDoubleArray(), FLOAT32_TOLERANCE);
    }

    private Tensor weights() {
        return upload(WIDTH, HIDDEN);
    }

    /** Gaussian values scaled by {@code 1/sqrt(cols)}, so a product's sums stay of order one whatever H is. */
    private Tensor upload(int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian() / Math.sqrt(cols);
        }
        return backend.upload(DType.FLOAT32, v, rows, cols);
    }
}
