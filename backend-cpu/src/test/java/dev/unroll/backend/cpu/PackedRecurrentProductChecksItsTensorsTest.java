package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed recurrent product hands its tensors' raw addresses to oneDNN, which checks nothing, so its steps must
 * refuse what {@code gemm} (the default product's step) refuses: a closed tensor (freed native memory), another
 * backend instance's or another dtype's tensor, an output overlapping its input, a closed backend, and the product
 * itself once closed (its packed weights freed). Without the checks these ran on freed or foreign memory, threw a
 * ClassCastException, or (closed backend) waited forever for kernel threads that had exited.
 */
class PackedRecurrentProductChecksItsTensorsTest {
    private static final int ROWS = 32;
    private static final int HIDDEN = 512;
    private static final int WIDTH = 4 * HIDDEN;
    private static final String OP = "recurrentProduct.addTo";
    /** Far above one packed step (about a millisecond); before the fix the closed-backend call never returned. */
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    private CpuBackend backend;
    private RecurrentProduct product;
    private Tensor h;
    private Tensor into;

    @BeforeEach
    void create() {
        // Two threads, 32 rows, H = 512: the LSTM shape PackedRecurrentProduct.pays takes (two bands of 1024).
        backend = new CpuBackend(2, GemmEngine.ONEDNN);
        Tensor w = backend.allocate(DType.FLOAT32, WIDTH, HIDDEN);
        product = backend.recurrentProduct(w, ROWS);
        assertInstanceOf(PackedRecurrentProduct.class, product, "the shape must take the packed path");
        h = backend.allocate(DType.FLOAT32, ROWS, HIDDEN);
        into = backend.allocate(DType.FLOAT32, ROWS, WIDTH);
    }

    @AfterEach
    void close() {
        product.close();
        backend.close();
    }

    private static void assertRefused(Class<? extends RuntimeException> type, String argument, Executable call) {
        RuntimeException e = assertThrows(type, () -> assertTimeoutPreemptively(NO_HANG, call));
        assertTrue(e.getMessage().contains(OP) && e.getMessage().contains(argument),
                "the message names the operation and '" + argument + "': " + e.getMessage());
    }

    @Test
    void aClosedStateIsRefused() {
        h.close();
        assertRefused(IllegalStateException.class, "hPrev", () -> product.addTo(h, into));
    }

    @Test
    void aClosedOutputIsRefused() {
        into.close();
        assertRefused(IllegalStateException.class, "into", () -> product.addTo(h, into));
    }

    @Test
    void anotherBackendInstancesTensorIsRefused() {
        try (CpuBackend other = new CpuBackend(2, GemmEngine.ONEDNN)) {
            Tensor foreign = other.allocate(DType.FLOAT32, ROWS, HIDDEN);
            assertRefused(IllegalArgumentException.class, "hPrev", () -> product.addTo(foreign, into));
        }
    }

    @Test
    void aFloat64StateIsRefused() {
        Tensor wide = backend.allocate(DType.FLOAT64, ROWS, HIDDEN);
        assertRefused(IllegalArgumentException.class, "hPrev", () -> product.addTo(wide, into));
    }

    @Test
    void anOutputOverlappingTheStateIsRefused() {
        // into's first 32 x 512 elements are h's: gemm refuses that; the packed steps would read what they write.
        Tensor storage = backend.allocate(DType.FLOAT32, ROWS * WIDTH / HIDDEN, HIDDEN);
        Tensor state = backend.viewRows(storage, 0, ROWS);
        Tensor output = backend.reshape(storage, ROWS, WIDTH);
        assertRefused(IllegalArgumentException.class, "into", () -> product.addTo(state, output));
    }

    @Test
    void aStepAfterTheBackendClosedIsRefusedWithoutWaiting() {
        backend.close();
        assertRefused(IllegalStateException.class, "hPrev", () -> product.addTo(h, into));
    }

    @Test
    void aStepAfterTheProductClosedIsRefused() {
        product.close();
        // no argument to name: the product itself is what is closed
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> assertTimeoutPreemptively(NO_HANG, () -> product.addTo(h, into)));
        assertTrue(e.getMessage().contains(OP + ": the product is closed"),
                "the message names the operation and says the product is closed: " + e.getMessage());
    }
}
