package dev.unroll.api;

import java.util.Arrays;

/**
 * An opaque, backend-owned block of numbers with a shape and a dtype, stored row-major (last index fastest).
 *
 * <p>Every operation of a {@link Backend} sees a tensor as a matrix: {@link #cols()} is the last dimension
 * and {@link #rows()} the product of all others, so a time-major sequence {@code [T, B, F]} is the matrix
 * {@code [T*B, F]} whose rows {@code t*B .. t*B+B-1} are step {@code t}. A tensor may be a view of another
 * (see {@link Backend#viewRows}); closing the base invalidates its views.
 *
 * <p>Tensors are not thread-safe. Using a closed tensor throws {@link IllegalStateException}; passing a
 * tensor to a backend that did not make it throws {@link IllegalArgumentException}.
 */
public interface Tensor extends AutoCloseable {

    /** The backend that made this tensor and alone may operate on it. */
    Backend backend();

    DType dtype();

    /** A copy of the shape; rank is at least 1. */
    int[] shape();

    /** Number of elements. */
    long size();

    /** The last dimension: columns of the matrix view. */
    int cols();

    /** Product of all dimensions but the last: rows of the matrix view. */
    int rows();

    /** True once this tensor, or the tensor it is a view of, was closed. */
    boolean isClosed();

    /** Releases the storage (a view releases nothing but itself). Closing twice is allowed. */
    @Override
    void close();

    /** Downloads the elements, converted to float. */
    default float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        backend().download(this, out);
        return out;
    }

    /** Downloads the elements, converted to double. */
    default double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(size())];
        backend().download(this, out);
        return out;
    }

    /** Overwrites the elements from a host array of exactly {@link #size()} values. */
    default void copyFrom(float[] values) {
        backend().upload(values, this);
    }

    /** Overwrites the elements from a host array of exactly {@link #size()} values. */
    default void copyFrom(double[] values) {
        backend().upload(values, this);
    }

    /** Human-readable description such as {@code FLOAT32[3, 4]}. */
    static String describe(Tensor t) {
        return t.dtype() + Arrays.toString(t.shape());
    }
}
