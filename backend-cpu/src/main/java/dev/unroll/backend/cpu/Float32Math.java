package dev.unroll.backend.cpu;

/**
 * Float32 activations over a heap array chunk, written as straight-line arithmetic (multiply, add, divide,
 * min, max) that HotSpot's C2 compiles to SIMD instructions. A call to {@link Math#exp} per element is not
 * vectorized and costs about 15 ns; these run at well under 1 ns per element.
 *
 * <p>tanh is the rational minimax approximation used by Eigen (and so by TensorFlow's CPU kernels):
 * {@code x * P(x^2) / Q(x^2)} on {@code |x| <= 7.9053}, clamped beyond, where the rational reaches 1. Its error is
 * at most about 6 float ulps over the whole range (tested; 0.85 on average, 38% of values correctly rounded,
 * where PyTorch's float tanh is within 1 ulp). Float tanh reaches 1 only at |x| = 9.0109, so between the two it
 * returns +-1 up to 5 ulps early, and an LSTM's or RNN's backward factor {@code 1 - tanh^2} is 0 there instead of
 * about 1e-7. Over the kit's 202 PyTorch fixtures this makes the backend's float32 results err by a median 1.14
 * ulps on outputs and 1.69 on gradients, against 0.81 and 1.44 for PyTorch's own float32 and for the EJML
 * backend (whose tanh is computed in double and rounded once); the worst element uses 27% of the kit's float32
 * tolerance. {@link #exactTanh} (setting {@code unroll.cpu.tanh=exact}) closes that gap, correctly rounded, but
 * costs 3.2 ns per element against 0.8: the RNN (100,16,128,128) forward 1.15 -> 1.75 ms, the other shapes 3-10%
 * slower (2026-11-27, this machine), so it is not the default.
 *
 * <p>The sigmoid is {@code 1 / (1 + exp(-x))} with Cephes' float exp (Cody-Waite reduction by ln 2, a
 * degree-7 polynomial, scaling by 2^n built in the exponent bits; under 1 ulp), so it keeps its relative
 * accuracy in the tail where sigmoid(x) is tiny, which {@code 0.5 + 0.5 tanh(x/2)} would lose. C2 does not
 * vectorize a loop that mixes the float arithmetic with the bit manipulation, so it runs as three loops.
 * FLOAT64 tensors use {@link Nonlinearities} instead, accurate to a few double ulps.
 */
final class Float32Math {
    /** |x| beyond which the approximation's value is clamped: the rational reaches 1 there. */
    private static final float TANH_CLAMP = 7.90531110763549805f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    /** |x| beyond which tanh is +-1 in float (from 9.0109: 1 - 2^-25 < tanh); clamping there keeps 2^n small. */
    private static final double TANH_SATURATION = 10;
    private static final double LOG2E_D = 1.4426950408889634;
    /** 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer, kept in the low mantissa bits. */
    private static final double ROUNDING_MAGIC_D = 0x1.8p52;
    /** ln 2 split in a part whose products with small integers are exact and the remainder (fdlibm's). */
    private static final double LN2_HIGH_D = 6.93147180369123816490e-01;
    private static final double LN2_LOW_D = 1.90821492927058770002e-10;
    private static final long ONE_BITS_D = 0x3ff0000000000000L;
    private static final int SIGN_BIT = 0x80000000;
    /** The per-thread double scratch of {@link #exactTanh}: two arrays, grown to the longest call. */
    private static final ThreadLocal<double[][]> TANH_SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    /** exp's argument range: e^88.7 overflows float, e^-87.3 is the smallest normal float. */
    private static final float EXP_HIGH = 88.3762626647949f;
    private static final float EXP_LOW = -87.3365447504019f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, kept in the low mantissa bits. */
    private static final float ROUNDING_MAGIC = 12582912f;
    /** ln 2 split in a part exact in float and the remainder (Cody and Waite). */
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float E7 = 1.9875691500e-4f;
    private static final float E6 = 1.3981999507e-3f;
    private static final float E5 = 8.3334519073e-3f;
    private static final float E4 = 4.1665795894e-2f;
    private static final float E3 = 1.6666665459e-1f;
    private static final float E2 = 5.0000001201e-1f;
    private static final int ONE_BITS = 0x3f800000;

    private Float32Math() {
    }

    /** {@code v[k] = tanh(v[k])} for {@code k < length}; NaN stays NaN. */
    static void tanh(float[] v, int length) {
        for (int k = 0; k < length; k++) {
            v[k] = tanh(v[k]);
        }
    }

    /**
     * {@code v[k] = tanh(v[k])} for {@code k < length}, correctly rounded but where the double result lies within
     * about 1e-12 (relative) of a halfway point between two floats: {@code tanh|x| = -E / (2 + E)}, {@code
     * E = expm1(-2|x|)}, which cancels nowhere (|x| near 0 included), with x's sign bit put back (so -0 stays -0;
     * NaN stays NaN). expm1 reduces its argument by {@code n ln 2} (Cody-Waite) to {@code |r| <= ln 2 / 2}, sums
     * the Taylor series to {@code r^10} (truncation below 1e-12 relative) and scales: {@code expm1(n ln 2 + r) =
     * 2^n expm1(r) + (2^n - 1)}. Four times the cost of {@link #tanh(float[], int)} (unroll.cpu.tanh=exact).
     */
    static void exactTanh(float[] v, int length) {
        double[][] scratch = TANH_SCRATCH.get();
        if (scratch[0].length < length) {
            scratch[0] = new double[length];
            scratch[1] = new double[length];
        }
        double[] y = scratch[0];
        double[] reduced = scratch[1];
        // Three loops, as in the sigmoid: C2 vectorizes each, not one that mixes arithmetic and bit manipulation.
        // 1: y = -2|x| (clamped), n = round(y / ln 2) kept as the double (n + 1.5 * 2^52) whose low bits hold n.
        for (int k = 0; k < length; k++) {
            double a = -2 * Math.min(TANH_SATURATION, Math.abs((double) v[k]));
            y[k] = a;
            reduced[k] = a * LOG2E_D + ROUNDING_MAGIC_D;
        }
        // 2: expm1(r) for r = y - n ln 2, |r| <= ln 2 / 2, by its Taylor series to r^10.
        for (int k = 0; k < length; k++) {
            double n = reduced[k] - ROUNDING_MAGIC_D;
            double r = (y[k] - n * LN2_HIGH_D) - n * LN2_LOW_D;
            double p = 1.0 / 3628800;
            p = p * r + 1.0 / 362880;
            p = p * r + 1.0 / 40320;
            p = p * r + 1.0 / 5040;
            p = p * r + 1.0 / 720;
            p = p * r + 1.0 / 120;
            p = p * r + 1.0 / 24;
            p = p * r + 1.0 / 6;
            p = p * r + 0.5;
            y[k] = p * r * r + r;
        }
        // 3: E = expm1(y) = 2^n expm1(r) + (2^n - 1), tanh|x| = -E / (2 + E), then x's sign (its bit, so -0 stays).
        for (int k = 0; k < length; k++) {
            double twoToN = Double.longBitsToDouble((Double.doubleToRawLongBits(reduced[k]) << 52) + ONE_BITS_D);
            double e = twoToN * y[k] + (twoToN - 1);
            float magnitude = (float) (-e / (2 + e));
            v[k] = Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) & ~SIGN_BIT
                    | Float.floatToRawIntBits(v[k]) & SIGN_BIT);
        }
    }

    /**
     * {@code v[k] = sigmoid(v[k]) = 1 / (1 + exp(-v[k]))} for {@code k < length}; NaN stays NaN.
     *
     * @param temp scratch of at least {@code length} elements
     */
    static void sigmoid(float[] v, float[] temp, int length) {
        // 1: y = -x clamped to exp's range, left in v; n = round(y / ln 2), kept as the float
        // (n + 1.5 * 2^23) whose low bits hold n. (Math.min/max are costly enough to do once.)
        for (int k = 0; k < length; k++) {
            float y = Math.max(EXP_LOW, Math.min(EXP_HIGH, -v[k]));
            v[k] = y;
            temp[k] = y * LOG2E + ROUNDING_MAGIC;
        }
        // 2: exp(r) for r = y - n ln 2 in [-ln2/2, ln2/2], by the polynomial.
        for (int k = 0; k < length; k++) {
            float y = v[k];
            float n = temp[k] - ROUNDING_MAGIC;
            float r = y - n * LN2_HIGH;
            r = r - n * LN2_LOW;
            float p = E7;
            p = p * r + E6;
            p = p * r + E5;
            p = p * r + E4;
            p = p * r + E3;
            p = p * r + E2;
            v[k] = p * r * r + r + 1f;
        }
        // 3: exp(-x) = 2^n exp(r), with 2^n made in the exponent field; then the sigmoid.
        for (int k = 0; k < length; k++) {
            float twoToN = Float.intBitsToFloat((Float.floatToRawIntBits(temp[k]) << 23) + ONE_BITS);
            v[k] = 1f / (1f + v[k] * twoToN);
        }
    }

    /** The approximation for one value; inlined into the loops above. */
    static float tanh(float x) {
        // Math.min/max propagate NaN, so NaN passes through as NaN.
        float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = c * c;
        float p = x2 * A13 + A11;
        p = p * x2 + A9;
        p = p * x2 + A7;
        p = p * x2 + A5;
        p = p * x2 + A3;
        p = p * x2 + A1;
        p = c * p;
        float q = x2 * B6 + B4;
        q = q * x2 + B2;
        q = q * x2 + B0;
        return p / q;
    }
}
