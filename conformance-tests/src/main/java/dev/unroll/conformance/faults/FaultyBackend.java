package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.spi.ForwardingBackend;

/**
 * The base of the planted faults: forwards everything to a working backend, which it owns, and names
 * itself after the fault. A subclass overrides one operation with a bug.
 */
abstract class FaultyBackend extends ForwardingBackend {

    FaultyBackend(Backend working, String fault) {
        super(working, working.name() + "+" + fault);
    }

    /** A scratch matrix shaped like {@code t}'s matrix view; the caller closes it. */
    Tensor scratchLike(Tensor t) {
        return scratch(t.dtype(), t.rows(), t.cols());
    }

    Tensor scratch(DType dtype, int rows, int cols) {
        return delegate.allocate(dtype, rows, cols);
    }

    /** Unlike a plain {@link ForwardingBackend}, the fault owns the backend it wraps. */
    @Override
    public void close() {
        delegate.close();
    }
}
