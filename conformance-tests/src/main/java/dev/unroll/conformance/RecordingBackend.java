package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Backend} that treats {@link Backend#runRepeatable} as a GPU backend's graphs do, on any backend: the
 * first time a key is seen it runs the work and records every backend call the work makes; from then on it
 * replays the recorded calls, with the recorded arguments (the same tensor objects, views included), and never
 * calls the work again. Work that allocates, uploads, reads back or passes host indices while recorded is refused.
 * So a caller that keeps {@code runRepeatable}'s promise gets, through this wrapper, exactly what it gets without
 * recording; one that lets per-call state slip into recorded work (a tensor or scalar that differs from call to
 * call) gets stale results, which the kit's checks see.
 *
 * <p>Each step's recurrent product is made on the wrapper ({@link RecurrentProduct#of}), so its GEMMs are recorded
 * too, as a GPU stream records them; {@link #passThrough} does the same without recording, as the reference.
 */
public final class RecordingBackend implements InvocationHandler {
    /** Calls that recorded work must not make: they allocate, move data to or from the host, or read host indices. */
    private static final Set<String> REFUSED = Set.of("allocate", "upload", "download", "gatherRows",
            "scatterAddRows", "sumOfSquares", "maxAbs", "softmaxCrossEntropy", "softmaxCrossEntropyBackward");

    private record Call(Method method, Object[] args) {
    }

    private final Backend delegate;
    private final boolean recording;
    private final Map<Object, List<Call>> recordings = new HashMap<>();
    private List<Call> current;
    private Backend proxy;
    private int replays;

    private RecordingBackend(Backend delegate, boolean recording) {
        this.delegate = delegate;
        this.recording = recording;
    }

    /** A wrapper of {@code delegate} that records repeated work and replays it. */
    public static RecordingBackend recording(Backend delegate) {
        return new RecordingBackend(delegate, true);
    }

    /** The same wrapper without recording: repeated work simply runs, each step's product made on the wrapper. */
    public static RecordingBackend passThrough(Backend delegate) {
        return new RecordingBackend(delegate, false);
    }

    /** The wrapper as a {@link Backend}. */
    public Backend backend() {
        if (proxy == null) {
            proxy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    this);
        }
        return proxy;
    }

    /** How many times a recording was replayed instead of its work being run. */
    public int replays() {
        return replays;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "runRepeatable" -> {
                runRepeatable(args[0], (Runnable) args[1]);
                return null;
            }
            case "forgetRepeatable" -> {
                recordings.remove(args[0]);
                return null;
            }
            case "recurrentProduct" -> {
                return RecurrentProduct.of((Backend) self, (Tensor) args[0]);
            }
            case "equals" -> {
                return self == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(self);
            }
            case "toString" -> {
                return "RecordingBackend[" + delegate + "]";
            }
            default -> {
                if (current != null) {
                    if (REFUSED.contains(name)) {
                        throw new IllegalStateException(name + " called inside work recorded by runRepeatable");
                    }
                    current.add(new Call(method, args == null ? null : args.clone()));
                }
                return call(method, args);
            }
        }
    }

    private void runRepeatable(Object key, Runnable work) throws Throwable {
        if (!recording || current != null) {
            work.run(); // nested work becomes part of the recording, as in a GPU capture
            return;
        }
        List<Call> recorded = recordings.get(key);
        if (recorded != null) {
            for (Call c : recorded) {
                call(c.method(), c.args());
            }
            replays++;
            return;
        }
        current = new ArrayList<>();
        try {
            work.run();
            recordings.put(key, current);
        } finally {
            current = null;
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
