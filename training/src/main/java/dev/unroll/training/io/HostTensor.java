package dev.unroll.training.io;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's values held on the host, for files and checkpoints. Values are kept as doubles, which hold every
 * float32 exactly, so a FLOAT32 tensor survives a round trip bit for bit.
 *
 * @param dtype  the element type the values came from and are written as
 * @param shape  the shape, row-major
 * @param values the elements, row-major; length is the product of {@code shape}
 */
public record HostTensor(DType dtype, int[] shape, double[] values) {

    public HostTensor {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values, got " + values.length);
        }
    }

    /** Downloads a backend tensor. */
    public static HostTensor of(Tensor t) {
        return new HostTensor(t.dtype(), t.shape(), t.toDoubleArray());
    }

    /** Uploads to a new tensor of this dtype and shape. */
    public Tensor upload(Backend backend) {
        return backend.upload(dtype, values, shape);
    }

    /**
     * Overwrites {@code target} with these values after checking that the element counts and shapes agree
     * (ignoring size-1 dimensions, so {@code [H]} fits {@code [1, H]}).
     *
     * @param what the name used in the error message, e.g. the parameter's name
     */
    public void copyInto(Tensor target, String what) {
        if (!sameShape(shape, target.shape())) {
            throw new IllegalArgumentException(what + ": stored shape " + Arrays.toString(shape)
                    + " does not match " + Tensor.describe(target));
        }
        target.copyFrom(values);
    }

    private static boolean sameShape(int[] a, int[] b) {
        return Arrays.equals(squeeze(a), squeeze(b));
    }

    private static int[] squeeze(int[] s) {
        return Arrays.stream(s).filter(d -> d != 1).toArray();
    }

    public long size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor h && h.dtype == dtype && Arrays.equals(h.shape, shape)
                && Arrays.equals(h.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
