package dev.unroll.training.nn;

/**
 * A small, fully reproducible random number generator (SplitMix64) whose whole state is one {@code long}, so
 * it can be saved in a checkpoint and restored exactly. Used for weight initialization, shuffling and
 * sampling; all draws happen on the host, so every backend sees the same numbers.
 */
public final class SeededRandom {
    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** A generator for a sub-stream, e.g. epoch {@code n} of a run seeded with {@code seed}. */
    public static SeededRandom derive(long seed, long stream) {
        SeededRandom mixer = new SeededRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1)));
        return new SeededRandom(mixer.nextLong());
    }

    /** The complete state, for checkpoints. */
    public long state() {
        return state;
    }

    public void restore(long savedState) {
        this.state = savedState;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Standard normal (Box-Muller; one value per call, for simplicity over speed). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be >= 1, was " + bound);
        }
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
