package dev.unroll.training;

import dev.unroll.api.Backend;
import dev.unroll.api.spi.AbstractBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * A backend that forwards to a real one but fails one chosen {@code allocate} call, and the real backend's count
 * of live tensors: together they show whether code that fails part-way frees what it had allocated.
 */
public final class FailingAllocations {
    private FailingAllocations() {
    }

    /** The failure {@link #failingAt} plants, distinct from any failure of the code under test. */
    public static final class PlantedFailure extends RuntimeException {
        PlantedFailure(int call) {
            super("planted failure of allocation " + call);
        }
    }

    /** {@code real}, except that its {@code n}-th {@code allocate} call (1-based) throws {@link PlantedFailure}. */
    public static Backend failingAt(Backend real, int n) {
        return failingAt(real, n, () -> new PlantedFailure(n));
    }

    /**
     * {@code real}, except that its {@code n}-th {@code allocate} call (1-based) throws an {@link OutOfMemoryError},
     * as a full heap or device does: an Error, which a {@code catch (RuntimeException e)} cleanup does not see.
     */
    public static Backend outOfMemoryAt(Backend real, int n) {
        return failingAt(real, n, () -> new OutOfMemoryError("planted out of memory at allocation " + n));
    }

    private static Backend failingAt(Backend real, int n, Supplier<Throwable> failure) {
        int[] calls = {0};
        return (Backend) Proxy.newProxyInstance(FailingAllocations.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("allocate") && ++calls[0] == n) {
                        throw failure.get();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Tensors allocated on {@code backend} and not closed yet. */
    public static int live(Backend backend) {
        return ((AbstractBackend<?>) backend).liveTensorCount();
    }
}
