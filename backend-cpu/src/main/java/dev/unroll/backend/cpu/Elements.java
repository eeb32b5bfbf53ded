package dev.unroll.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Indexed access to one tensor's elements in native memory, read and written as {@code double} whatever
 * the dtype, so each non-hot kernel is written once for FLOAT32 and FLOAT64. Index 0 is the tensor's
 * element [0, 0] (the offset of a row view is built in).
 *
 * <p>Why double: for +, -, *, / and sqrt, computing in double and rounding once to float gives exactly the
 * float result (double has more than 2*24+2 significand bits), and for the transcendental functions it
 * gives a result within half an ulp of the true value more often than float arithmetic would. There are
 * exactly two subclasses, so the JIT inlines calls at every site (bimorphic at worst).
 */
abstract sealed class Elements permits Elements.Float32, Elements.Float64 {

    /** Element {@code i} of the tensor, widened to double. */
    abstract double get(int i);

    /** Sets element {@code i}, rounding to the tensor's dtype. */
    abstract void set(int i, double value);

    /** Rounds a value as {@link #set} would store it, so a kernel can reuse a stored value without re-reading. */
    abstract double round(double value);

    /** FLOAT32 elements of a direct buffer over the tensor's storage. */
    static final class Float32 extends Elements {
        final FloatBuffer buffer;
        final int offset;

        Float32(FloatBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        double get(int i) {
            return buffer.get(offset + i);
        }

        @Override
        void set(int i, double value) {
            buffer.put(offset + i, (float) value);
        }

        @Override
        double round(double value) {
            return (float) value;
        }
    }

    /** FLOAT64 elements of a direct buffer over the tensor's storage. */
    static final class Float64 extends Elements {
        final DoubleBuffer buffer;
        final int offset;

        Float64(DoubleBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        double get(int i) {
            return buffer.get(offset + i);
        }

        @Override
        void set(int i, double value) {
            buffer.put(offset + i, value);
        }

        @Override
        double round(double value) {
            return value;
        }
    }
}
