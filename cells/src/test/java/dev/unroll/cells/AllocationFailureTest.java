package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backend that runs out of memory part way through a forward pass's buffers (a GPU, say) must get back every
 * buffer the pass had allocated: the stack must not keep device memory that nothing can close.
 */
class AllocationFailureTest {
    /** Thrown by the failing backend's allocation. */
    private static final class OutOfMemory extends RuntimeException {
        OutOfMemory() {
            super("planted: out of device memory");
        }
    }

    @Test
    void aForwardPassWhoseAllocationFailsLeavesNothingOpen() {
        RecurrentConfig config = RecurrentConfig.of(CellType.GRU, 3, 4).withLayers(2).withBidirectional(true)
                .withGruForm(GruForm.ORIGINAL);
        int tried = 0;
        for (int failAt = 1; ; failAt++) {
            List<Tensor> allocated = new ArrayList<>();
            int[] remaining = {Integer.MAX_VALUE};
            Backend backend = failingAfter(StubBackend.create(), remaining, allocated);
            try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
                 Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3)) {
                int before = allocated.size();
                remaining[0] = failAt;
                try {
                    stack.forward(x, null, null, null, false).close();
                    assertTrue(tried > 3, "the pass allocates several buffers; only " + tried + " failures tried");
                    return;
                } catch (OutOfMemory expected) {
                    tried++;
                }
                for (Tensor t : allocated.subList(before, allocated.size())) {
                    assertTrue(t.isClosed(), "allocation " + failAt + " failed, but a buffer of shape "
                            + Arrays.toString(t.shape()) + " allocated before it is still open");
                }
            }
        }
    }

    /** {@code backend}, whose allocations fail once {@code remaining[0]} of them have been made. */
    private static Backend failingAfter(Backend backend, int[] remaining, List<Tensor> allocated) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("allocate")) {
                        if (remaining[0]-- <= 0) {
                            throw new OutOfMemory();
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
