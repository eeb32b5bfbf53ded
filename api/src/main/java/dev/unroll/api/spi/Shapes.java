package dev.unroll.api.spi;

import java.util.Arrays;

/** Small shape utilities shared by the SPI base classes. */
public final class Shapes {
    private Shapes() {
    }

    /** Element count of a shape, rejecting empty shapes and dimensions below 1. */
    public static long size(int[] shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension, got " + Arrays.toString(shape));
        }
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("tensor dimensions must be >= 1, got " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, d);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return size;
    }
}
