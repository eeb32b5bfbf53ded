package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.UnsupportedDTypeException;
import dev.unroll.api.spi.ForwardingBackend;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional-dtype rule: refusing FLOAT64 is fine only with the specified exception. */
class DTypeChecksTest {

    /** A backend without FLOAT64 whose allocate does what {@code allocate} says; nothing else is called. */
    private static Supplier<Backend> refusingFloat64(Supplier<Tensor> allocate) {
        return () -> new ForwardingBackend(null, "fake") {
            @Override
            public boolean supports(DType dtype) {
                return dtype == DType.FLOAT32;
            }

            @Override
            public Tensor allocate(DType dtype, int... shape) {
                return allocate.get();
            }
        };
    }

    private static CheckResult run(Supplier<Backend> factory) {
        KitTarget target = new KitTarget("fake", factory, EnumSet.of(DType.FLOAT32));
        List<CheckResult> results = CheckRunner.run(DTypeChecks.optional(target, DType.FLOAT64));
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static boolean passes(Supplier<Backend> factory) {
        return run(factory).passed();
    }

    /** A FLOAT64 tensor that a backend should not have made. */
    private static Tensor silentFallback() {
        return new Tensor() {
            @Override public Backend backend() { return null; }
            @Override public DType dtype() { return DType.FLOAT64; }
            @Override public int[] shape() { return new int[] {2, 3}; }
            @Override public long size() { return 6; }
            @Override public int cols() { return 3; }
            @Override public int rows() { return 2; }
            @Override public boolean isClosed() { return false; }
            @Override public void close() { }
        };
    }

    @Test
    void refusingWithUnsupportedDTypeExceptionPasses() {
        assertTrue(passes(refusingFloat64(() -> {
            throw new UnsupportedDTypeException("fake", DType.FLOAT64);
        })));
    }

    @Test
    void refusingWithAnotherExceptionFails() {
        assertFalse(passes(refusingFloat64(() -> {
            throw new IllegalArgumentException("no doubles here");
        })));
    }

    @Test
    void sayingNoButAllocatingAnywayFails() {
        CheckResult result = run(refusingFloat64(DTypeChecksTest::silentFallback));
        assertFalse(result.passed());
        assertTrue(result.failure().getMessage().contains("made a tensor instead of throwing"),
                result.failure().getMessage());
    }
}
