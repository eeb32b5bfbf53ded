package dev.unroll.backend.ejml;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SPI's rule for a null argument (an IllegalArgumentException naming the operation) on EJML's fused steps and
 * Adam, which check their shapes themselves: they compared shapes before taking each tensor through own(), so a
 * null gates, cPrev or hPrev failed with a NullPointerException from inside the shape check, and a null c, h or dh
 * was named "state 1". Each argument of each op is nulled in turn; the message must name the op and the argument.
 */
class FusedStepNullArgumentsTest {
    private static final int BATCH = 2;
    private static final int HIDDEN = 3;

    private final EjmlBackend backend = new EjmlBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    /** A step of one op on {@code args} (null where a test nulls one). */
    private interface Step extends Consumer<Tensor[]> {
    }

    private void assertEveryNullArgumentNamed(String op, String[] names, int[] gateCounts, Step step) {
        for (int nulled = 0; nulled < names.length; nulled++) {
            Tensor[] args = new Tensor[names.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = backend.allocate(DType.FLOAT32, BATCH, gateCounts[i] * HIDDEN);
            }
            args[nulled] = null;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.accept(args),
                    op + " with " + names[nulled] + " null");
            String expected = op + ": tensor '" + names[nulled] + "' is null";
            assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        }
    }

    @Test
    void lstmStepForward() {
        assertEveryNullArgumentNamed("lstmStepForward", new String[] {"gates", "cPrev", "c", "h"},
                new int[] {4, 1, 1, 1}, t -> backend.lstmStepForward(t[0], t[1], t[2], t[3]));
    }

    @Test
    void lstmStepBackward() {
        assertEveryNullArgumentNamed("lstmStepBackward", new String[] {"gates", "cPrev", "c", "dh", "dc", "dGates"},
                new int[] {4, 1, 1, 1, 1, 4}, t -> backend.lstmStepBackward(t[0], t[1], t[2], t[3], t[4], t[5]));
    }

    @Test
    void gruStepForward() {
        assertEveryNullArgumentNamed("gruStepForward", new String[] {"gates", "hProj", "hPrev", "h"},
                new int[] {3, 3, 1, 1}, t -> backend.gruStepForward(t[0], t[1], t[2], t[3]));
    }

    @Test
    void gruStepBackward() {
        assertEveryNullArgumentNamed("gruStepBackward",
                new String[] {"gates", "hProj", "hPrev", "dh", "dInput", "dHidden"}, new int[] {3, 3, 1, 1, 3, 3},
                t -> backend.gruStepBackward(t[0], t[1], t[2], t[3], t[4], t[5]));
    }

    @Test
    void adamUpdate() {
        assertEveryNullArgumentNamed("adamUpdate", new String[] {"param", "grad", "m", "v"}, new int[] {1, 1, 1, 1},
                t -> backend.adamUpdate(t[0], t[1], t[2], t[3], 1e-3, 0.9, 0.999, 1e-8, 0, 1));
    }
}
