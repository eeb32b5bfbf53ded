package dev.unroll.conformance;

import dev.unroll.api.DType;

import java.util.SplittableRandom;

/**
 * Seeded random inputs, already rounded to the dtype under test. Each check seeds its own generator from
 * its name, so a failure reproduces alone and does not depend on which checks ran before.
 */
public final class RandomData {
    private final SplittableRandom random;
    private final DType dtype;

    public RandomData(long seed, DType dtype) {
        this.random = new SplittableRandom(seed);
        this.dtype = dtype;
    }

    /** A generator seeded from a check's name. */
    public static RandomData forCheck(String checkName, DType dtype) {
        return new RandomData(checkName.hashCode() * 0x9E3779B97F4A7C15L, dtype);
    }

    /** Uniform in {@code [lo, hi)}, rounded to the dtype. */
    public HostTensor uniform(double lo, double hi, int... shape) {
        HostTensor t = HostTensor.zeros(shape);
        double[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = DTypeRounding.round(dtype, lo + (hi - lo) * random.nextDouble());
        }
        return t;
    }

    /** Magnitude uniform in {@code [lo, hi)} with a random sign: safe divisors. */
    public HostTensor awayFromZero(double lo, double hi, int... shape) {
        HostTensor t = uniform(lo, hi, shape);
        double[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            if (random.nextBoolean()) {
                v[i] = -v[i];
            }
        }
        return t;
    }

    /** {@code count} indices in {@code [0, bound)}, repeats allowed. */
    public int[] indices(int count, int bound) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextInt(bound);
        }
        return out;
    }

    /** A uniform integer in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public DType dtype() {
        return dtype;
    }
}
