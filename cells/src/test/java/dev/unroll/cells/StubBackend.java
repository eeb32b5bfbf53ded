package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A backend that only keeps shapes and computes nothing, for tests of what the cells check and name before any
 * arithmetic. (Numeric tests of the cells run through the conformance kit on a real backend: this module cannot
 * depend on one.)
 */
final class StubBackend {
    private StubBackend() {
    }

    static Backend create() {
        return create(new ArrayList<>());
    }

    /** Recorded after the work of a {@code runRepeatable} call has run. */
    static final String END_REPEATABLE = "end of runRepeatable";

    /**
     * A stub that also appends every call to {@code calls} as {@code name}; for {@code runRepeatable} and
     * {@code forgetRepeatable} {@code name:key}, for the whole-sequence calls {@code name(DIRECTION)};
     * {@code runRepeatable} runs its work, as the SPI's default does.
     */
    static Backend create(List<String> calls) {
        return (Backend) Proxy.newProxyInstance(StubBackend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    boolean repeated = name.equals("runRepeatable") || name.equals("forgetRepeatable");
                    if (repeated) {
                        calls.add(name + ":" + args[0]);
                    } else if (args != null && args.length > 0 && args[0] instanceof TimeDirection direction) {
                        calls.add(name + "(" + direction + ")");
                    } else {
                        calls.add(name);
                    }
                    if (name.equals("runRepeatable")) {
                        ((Runnable) args[1]).run();
                        calls.add(END_REPEATABLE);
                        return null;
                    }
                    return answer(proxy, name, args);
                });
    }

    private static Object answer(Object proxy, String method, Object[] args) {
        return switch (method) {
            case "name" -> "stub";
            case "supports" -> true;
            case "allocate" -> new StubTensor((Backend) proxy, (DType) args[0], (int[]) args[1]);
            case "upload" -> args.length == 3
                    ? new StubTensor((Backend) proxy, (DType) args[0], (int[]) args[2]) : null;
            case "viewRows" -> new StubTensor((Backend) proxy, ((Tensor) args[0]).dtype(),
                    new int[] {(int) args[2], ((Tensor) args[0]).cols()});
            case "reshape" -> new StubTensor((Backend) proxy, ((Tensor) args[0]).dtype(), (int[]) args[1]);
            case "sumOfSquares", "maxAbs", "softmaxCrossEntropy" -> 0.0;
            // the SPI's default: each step's product is a (recorded) gemm
            case "recurrentProduct" -> RecurrentProduct.of((Backend) proxy, (Tensor) args[0]);
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "StubBackend";
            default -> null;
        };
    }

    /** Shape and dtype only. */
    static final class StubTensor implements Tensor {
        private final Backend backend;
        private final DType dtype;
        private final int[] shape;
        private boolean closed;

        StubTensor(Backend backend, DType dtype, int... shape) {
            this.backend = backend;
            this.dtype = dtype;
            this.shape = shape.clone();
        }

        @Override public Backend backend() { return backend; }
        @Override public DType dtype() { return dtype; }
        @Override public int[] shape() { return shape.clone(); }
        @Override public long size() { return Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b); }
        @Override public int cols() { return shape[shape.length - 1]; }
        @Override public int rows() { return (int) (size() / cols()); }
        @Override public boolean isClosed() { return closed; }
        @Override public void close() { closed = true; }
    }
}
