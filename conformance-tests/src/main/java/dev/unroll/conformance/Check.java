package dev.unroll.conformance;

import java.util.Objects;

/**
 * One conformance check as a plain object, so the same checks run as JUnit dynamic tests
 * ({@link ConformanceKit}), from the command line ({@link CheckRunner}) and against planted faults.
 *
 * @param group the family it belongs to, e.g. {@code "gemm"} or {@code "errors"}
 * @param name  what it checks, with its parameters and dtype, e.g.
 *              {@code "gemm(transA=true, transB=false, alpha=1, beta=0) m=257 n=129 k=65 FLOAT32"}
 * @param body  runs the check; it passes by returning and fails by throwing (an {@link AssertionError}
 *              for a wrong result)
 */
public record Check(String group, String name, CheckBody body) {

    /** The work of a check. */
    @FunctionalInterface
    public interface CheckBody {
        void run() throws Throwable;
    }

    public Check {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return group + ": " + name;
    }
}
