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
 * tolerance. A correctly rounded tanh computed in double (expm1 by Cody-Waite reduction and a Taylor
 * polynomial, in vectorizable loops) closed that gap but cost 3.2 ns per element against 0.8, which made the
 * RNN (100,16,128,128) forward 1.15 -> 1.75 ms and the other shapes 3-10% slower (2026-11-27, this machine);
 * it was not adopted.
 *
 * <p>The sigmoid is {@code 1 / (1 + exp(-x))} with Cephes' float exp (Cody-Waite reduction by ln 2, a
 * degree-7 polynomial, scaling by 2^n built in the exponent bits; under 1 ulp), so it keeps its relative
 * accuracy in the tail where sigmoid(x) is tiny, which {@code 0.5 + 0.5 tanh(x/2)} would lose. C2 does not
 * vectorize a loop that mixes the float arithmetic with the bit manipulation, so it runs as three loops.
 * FLOAT64 tensors use {@link Nonlinearities} instead, accurate to a few double ulps.
 */
final class Float32Math {
    /** |x| beyond which the approximation's value is clamped: tanh(7.9053) rounds to 1 in float. */
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
