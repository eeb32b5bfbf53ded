package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * A tensor on the Java heap in float64, row-major: the oracle's currency. Like {@link Tensor}, it is read as
 * the matrix {@code [rows, cols]} whose cols is the last dimension.
 *
 * @param shape  at least one dimension
 * @param values {@code product(shape)} elements, row-major
 */
public record HostTensor(int[] shape, double[] values) {

    public HostTensor {
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (shape.length == 0 || size != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length
                    + " values");
        }
    }

    /** A zero tensor. */
    public static HostTensor zeros(int... shape) {
        return filled(0, shape);
    }

    /** A tensor with every element {@code value}. */
    public static HostTensor filled(double value, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] v = new double[size];
        Arrays.fill(v, value);
        return new HostTensor(shape, v);
    }

    /** Downloads a backend tensor. */
    public static HostTensor download(Tensor t) {
        return new HostTensor(t.shape(), t.toDoubleArray());
    }

    /** Uploads into a new tensor of {@code be}; the caller closes it. */
    public Tensor upload(Backend be, DType dtype) {
        return be.upload(dtype, values, shape);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int cols() {
        return shape[shape.length - 1];
    }

    public int rows() {
        return values.length / cols();
    }

    public int size() {
        return values.length;
    }

    public double get(int row, int col) {
        return values[row * cols() + col];
    }

    public void set(int row, int col, double value) {
        values[row * cols() + col] = value;
    }

    /** A deep copy. */
    public HostTensor copy() {
        return new HostTensor(shape, values.clone());
    }

    /** A copy with another shape of the same size. */
    public HostTensor reshape(int... newShape) {
        return new HostTensor(newShape, values.clone());
    }

    /** A copy of rows {@code first .. first+count-1} as a {@code [count, cols]} matrix. */
    public HostTensor rows(int first, int count) {
        return new HostTensor(new int[] {count, cols()},
                Arrays.copyOfRange(values, first * cols(), (first + count) * cols()));
    }

    /** A copy of steps {@code first .. first+count-1} of a time-major {@code [T, B, F]} sequence. */
    public HostTensor timeSteps(int first, int count) {
        int batch = shape[1];
        return rows(first * batch, count * batch).reshape(count, batch, shape[2]);
    }

    /** A copy of columns {@code first .. first+count-1} as a {@code [rows, count]} matrix. */
    public HostTensor columns(int first, int count) {
        HostTensor out = zeros(rows(), count);
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < count; j++) {
                out.set(i, j, get(i, first + j));
            }
        }
        return out;
    }

    /** A copy with {@code part}'s rows written over rows {@code first ..}. */
    public HostTensor withRows(int first, HostTensor part) {
        HostTensor out = copy();
        System.arraycopy(part.values, 0, out.values, first * cols(), part.size());
        return out;
    }

    /** A copy with {@code part}'s columns written over columns {@code first ..}. */
    public HostTensor withColumns(int first, HostTensor part) {
        HostTensor out = copy();
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < part.cols(); j++) {
                out.set(i, first + j, part.get(i, j));
            }
        }
        return out;
    }

    /** Side by side: {@code [rows, a.cols + b.cols + ...]}. */
    public static HostTensor concatColumns(HostTensor... parts) {
        int cols = 0;
        for (HostTensor p : parts) {
            cols += p.cols();
        }
        HostTensor out = zeros(parts[0].rows(), cols);
        int first = 0;
        for (HostTensor p : parts) {
            out = out.withColumns(first, p);
            first += p.cols();
        }
        return out;
    }

    /** Every element rounded to the dtype, as the backend would store it. */
    public HostTensor roundedTo(DType dtype) {
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = DTypeRounding.round(dtype, v[i]);
        }
        return new HostTensor(shape, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
