package dev.unroll.api;

/**
 * Thrown when a backend is asked for a dtype it does not implement (for example FLOAT64 on a GPU backend).
 * This is the specified way for an optional capability to be missing: the conformance kit expects this
 * exception, never a silent fallback.
 */
public class UnsupportedDTypeException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public UnsupportedDTypeException(String backend, DType dtype) {
        super("backend '" + backend + "' does not support " + dtype);
    }
}
