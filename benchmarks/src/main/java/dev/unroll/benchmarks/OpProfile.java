package dev.unroll.benchmarks;

import dev.unroll.api.Backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a pass's time goes, per backend operation: a {@link Backend} proxy that times every call into the
 * backend it wraps and charges each operation its self time (its time minus that of the operations it calls
 * through the proxy). An operation the backend does not override (an SPI default such as
 * {@code lstmSequenceForward}'s per-step loop) runs on the proxy, so the operations it is made of are timed
 * one by one; an override is timed as one operation.
 *
 * <p>Host time: exact for a backend that finishes its work before returning (cpu, ejml); for a GPU backend it
 * is the time to enqueue, and the work shows up in whichever call waits for it. The timing costs about a
 * microsecond a call, which shows at batch 1.
 */
final class OpProfile implements InvocationHandler {
    /** One operation's totals. */
    record Entry(String operation, long calls, long selfNanos) {
    }

    private final Backend target;
    private final Map<Method, Boolean> runsDefault = new HashMap<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>();
    /** Nanoseconds spent in the operations called by each operation still running, innermost first. */
    private final Deque<long[]> children = new ArrayDeque<>();

    private OpProfile(Backend target) {
        this.target = target;
    }

    /** A profile of the calls into {@code target}, and the proxy to make them through. */
    static OpProfile of(Backend target) {
        return new OpProfile(target);
    }

    /** The backend to call: {@code target}, timed. */
    Backend backend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, this);
    }

    /** Forgets what was recorded so far (the warm-up's calls). */
    void reset() {
        totals.clear();
    }

    /** The operations recorded, the most self time first. */
    List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        totals.forEach((op, t) -> list.add(new Entry(op, t[0], t[1])));
        list.sort(Comparator.comparingLong(Entry::selfNanos).reversed());
        return list;
    }

    /** A table of the operations: calls, milliseconds and share of the total, per one of {@code passes} passes. */
    String table(String title, int passes) {
        List<Entry> list = entries();
        long total = list.stream().mapToLong(Entry::selfNanos).sum();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %.3f ms a pass in backend calls%n",
                title, total / 1e6 / passes));
        sb.append(String.format(Locale.ROOT, "  %-28s %10s %10s %7s%n", "operation", "calls", "ms", "share"));
        for (Entry e : list) {
            sb.append(String.format(Locale.ROOT, "  %-28s %10.1f %10.3f %6.1f%%%n", e.operation(),
                    (double) e.calls() / passes, e.selfNanos() / 1e6 / passes, 100.0 * e.selfNanos() / total));
        }
        return sb.toString();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        boolean asDefault = runsDefault.computeIfAbsent(method, this::notOverridden);
        children.push(new long[1]);
        long start = System.nanoTime();
        try {
            return asDefault ? InvocationHandler.invokeDefault(proxy, method, args) : method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            long elapsed = System.nanoTime() - start;
            long inChildren = children.pop()[0];
            long[] t = totals.computeIfAbsent(method.getName(), k -> new long[2]);
            t[0]++;
            t[1] += elapsed - inChildren;
            if (!children.isEmpty()) {
                children.peek()[0] += elapsed;
            }
        }
    }

    /** Whether {@code target} runs the interface's default of {@code method}. */
    private boolean notOverridden(Method method) {
        if (!method.isDefault()) {
            return false;
        }
        try {
            return target.getClass().getMethod(method.getName(), method.getParameterTypes()).isDefault();
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
