package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * An element-wise add that checks only element counts, so {@code [2, 3] + [3, 2]} runs on the flat arrays
 * instead of failing: a transposed argument then produces garbage instead of an error.
 */
final class ShapeCheckComparesSizesOnly extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("shape-check-compares-sizes-only",
            "add accepts operands of different shapes with the same element count",
            ShapeCheckComparesSizesOnly::new);

    ShapeCheckComparesSizesOnly(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        if (a.size() != b.size() || a.size() != out.size()) {
            delegate.add(a, b, out);
            return;
        }
        try (Tensor flatA = delegate.reshape(a, Math.toIntExact(a.size()));
             Tensor flatB = delegate.reshape(b, Math.toIntExact(b.size()));
             Tensor flatOut = delegate.reshape(out, Math.toIntExact(out.size()))) {
            delegate.add(flatA, flatB, flatOut);
        }
    }
}
