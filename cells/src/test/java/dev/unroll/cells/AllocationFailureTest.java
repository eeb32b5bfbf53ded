package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backend that runs out of memory part way through a forward pass's buffers (a GPU, say) must get back every
 * buffer the pass had allocated: the stack must not keep device memory that nothing can close. Each test runs with
 * both ways an allocation fails: a backend's exception, and the {@link OutOfMemoryError} a JVM backend's
 * {@code new float[n]} throws (a buffer left open then stays in the backend's set of live tensors, so the heap it
 * filled is never collected and a retry with a smaller batch fails too).
 */
class AllocationFailureTest {
    /** How the failing backend's allocation fails. */
    enum Failure {
        /** A backend's own exception: out of device memory. */
        EXCEPTION {
            @Override
            RuntimeException planted() {
                return new PlantedOutOfMemory();
            }
        },
        /** The JVM's error: out of heap for a host array. */
        ERROR {
            @Override
            Error planted() {
                return new PlantedOutOfMemoryError();
            }
        };

        abstract Throwable planted();

        /** Whether {@code t} is the planted failure (anything else is rethrown by the caller). */
        static boolean isPlanted(Throwable t) {
            return t instanceof PlantedOutOfMemory || t instanceof PlantedOutOfMemoryError;
        }
    }

    private static final class PlantedOutOfMemory extends RuntimeException {
        PlantedOutOfMemory() {
            super("planted: out of device memory");
        }
    }

    private static final class PlantedOutOfMemoryError extends OutOfMemoryError {
        PlantedOutOfMemoryError() {
            super("planted: Java heap space");
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aStackWhoseParameterAllocationFailsLeavesNothingOpen(Failure failure) throws Throwable {
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true)
                .withLearnedInitialState(true);
        int tried = 0;
        for (int failAt = 0; ; failAt++) {
            List<Tensor> allocated = new ArrayList<>();
            Backend backend = failingAfter(StubBackend.create(), new int[] {failAt}, allocated, failure);
            try {
                new RecurrentStack(backend, DType.FLOAT32, config).close();
                assertTrue(tried > 3, "the stack allocates several parameters; only " + tried + " failures tried");
                return;
            } catch (Throwable t) {
                if (!Failure.isPlanted(t)) {
                    throw t;
                }
                tried++;
            }
            for (Tensor t : allocated) {
                assertTrue(t.isClosed(), "allocation " + failAt + " failed (" + failure + "), but a parameter of shape "
                        + Arrays.toString(t.shape()) + " allocated before it is still open");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aForwardPassWhoseAllocationFailsLeavesNothingOpen(Failure failure) throws Throwable {
        RecurrentConfig config = RecurrentConfig.of(CellType.GRU, 3, 4).withLayers(2).withBidirectional(true)
                .withGruForm(GruForm.ORIGINAL);
        int tried = 0;
        for (int failAt = 1; ; failAt++) {
            List<Tensor> allocated = new ArrayList<>();
            int[] remaining = {Integer.MAX_VALUE};
            Backend backend = failingAfter(StubBackend.create(), remaining, allocated, failure);
            try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
                 Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3)) {
                int before = allocated.size();
                remaining[0] = failAt;
                try {
                    stack.forward(x, null, null, null, false).close();
                    assertTrue(tried > 3, "the pass allocates several buffers; only " + tried + " failures tried");
                    return;
                } catch (Throwable t) {
                    if (!Failure.isPlanted(t)) {
                        throw t;
                    }
                    tried++;
                }
                for (Tensor t : allocated.subList(before, allocated.size())) {
                    assertTrue(t.isClosed(), "allocation " + failAt + " failed (" + failure + "), but a buffer of shape "
                            + Arrays.toString(t.shape()) + " allocated before it is still open");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aBackwardPassWhoseAllocationFailsWorksWhenTriedAgainWithoutAllocatingTwice(Failure failure)
            throws Throwable {
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true);
        int tried = 0;
        for (int failAt = 1; ; failAt++) {
            List<Tensor> allocated = new ArrayList<>();
            int[] remaining = {Integer.MAX_VALUE};
            Backend backend = failingAfter(StubBackend.create(), remaining, allocated, failure);
            try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
                 Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3);
                 RecurrentPass pass = stack.forward(x, null, null, null, true)) {
                int before = allocated.size();
                remaining[0] = failAt;
                try {
                    stack.backward(pass, null, null, null).close();
                    assertTrue(tried > 3, "the backward allocates several buffers; only " + tried + " failures tried");
                    return;
                } catch (Throwable t) {
                    if (!Failure.isPlanted(t)) {
                        throw t;
                    }
                    tried++;
                }
                int afterFailure = allocated.size();
                remaining[0] = Integer.MAX_VALUE;
                // the retry completes the buffers: it must not fail on a missing one (it did, with a null dHidden)
                stack.backward(pass, null, null, null).close();
                long kept = openSince(allocated, before);
                // a run without a failure keeps the same buffers open: count them on a fresh stack
                List<Tensor> clean = new ArrayList<>();
                Backend cleanBackend = failingAfter(StubBackend.create(), new int[] {Integer.MAX_VALUE}, clean,
                        failure);
                try (RecurrentStack fresh = new RecurrentStack(cleanBackend, DType.FLOAT32, config);
                     Tensor y = cleanBackend.allocate(DType.FLOAT32, 5, 2, 3);
                     RecurrentPass cleanPass = fresh.forward(y, null, null, null, true)) {
                    int cleanBefore = clean.size();
                    fresh.backward(cleanPass, null, null, null).close();
                    assertTrue(afterFailure - before < clean.size() - cleanBefore, "allocation " + failAt
                            + " failed part way");
                    assertEquals(openSince(clean, cleanBefore), kept,
                            "allocation " + failAt + " failed (" + failure + "): the retry kept a second copy of a"
                                    + " buffer open, or the failed call left one");
                }
            }
        }
    }

    private static long openSince(List<Tensor> allocated, int first) {
        return allocated.subList(first, allocated.size()).stream().filter(t -> !t.isClosed()).count();
    }

    /** {@code backend}, whose allocations fail as {@code failure} says once {@code remaining[0]} of them were made. */
    private static Backend failingAfter(Backend backend, int[] remaining, List<Tensor> allocated, Failure failure) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("allocate")) {
                        if (remaining[0]-- <= 0) {
                            throw failure.planted();
                        }
                    }
                    try {
                        Object result = method.invoke(backend, args);
                        if (method.getName().equals("allocate")) {
                            allocated.add((Tensor) result);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
