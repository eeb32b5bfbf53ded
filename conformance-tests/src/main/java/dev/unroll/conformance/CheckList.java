package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the checks of one target and dtype. Every check it makes runs on a fresh backend instance (closed
 * afterwards), with a {@link Verifier} that knows the check's name and a {@link RandomData} seeded from it.
 */
public final class CheckList {
    private final KitTarget target;
    private final DType dtype;
    private final Tolerance tolerance;
    private final List<Check> checks = new ArrayList<>();

    /** The body of a check that runs on one backend instance. */
    @FunctionalInterface
    public interface BackendCheck {
        void run(Backend be, Verifier verify, RandomData random) throws Throwable;
    }

    public CheckList(KitTarget target, DType dtype, Tolerance tolerance) {
        this.target = target;
        this.dtype = dtype;
        this.tolerance = tolerance;
    }

    public DType dtype() {
        return dtype;
    }

    public KitTarget target() {
        return target;
    }

    /** Rounds a scalar argument the way the backend will (see {@link DTypeRounding}). */
    public double round(double x) {
        return DTypeRounding.round(dtype, x);
    }

    /**
     * Adds a check.
     *
     * @param description the operation and its parameters; the dtype is appended
     */
    public void add(String group, String description, BackendCheck body) {
        String name = description + " " + dtype;
        checks.add(new Check(group, name, () -> {
            try (Backend be = target.create()) {
                body.run(be, new Verifier(target.name(), description, dtype, tolerance),
                        RandomData.forCheck(name, dtype));
            }
        }));
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }
}
