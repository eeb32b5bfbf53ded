package dev.unroll.backend.cpu;

/**
 * tanh and the logistic sigmoid in double precision, built on {@link Math#exp} (a JIT intrinsic) because
 * {@link Math#tanh} delegates to {@code StrictMath} and costs several times more. Both are accurate to a few
 * double ulps, so a float32 result rounded from them is the correctly rounded float in nearly every case.
 */
final class Nonlinearities {
    /** Below this |x|, tanh's Taylor series (to x^11) is exact in double; above, 1-t has no harmful cancellation. */
    private static final double TANH_SERIES_LIMIT = 0.0625;
    /** Above this |x|, tanh(x) rounds to 1 in double. */
    private static final double TANH_SATURATION = 19.1;

    private Nonlinearities() {
    }

    /** The logistic function {@code 1 / (1 + e^-x)}. */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** The hyperbolic tangent, odd and exact at 0, saturating to +-1. */
    static double tanh(double x) {
        double a = Math.abs(x);
        double r;
        if (a < TANH_SERIES_LIMIT) {
            double a2 = a * a;
            // tanh a = a - a^3/3 + 2a^5/15 - 17a^7/315 + 62a^9/2835 - 1382a^11/155925 + O(a^13)
            r = a + a * a2 * (-1.0 / 3 + a2 * (2.0 / 15 + a2 * (-17.0 / 315 + a2 * (62.0 / 2835
                    + a2 * (-1382.0 / 155925)))));
        } else if (a < TANH_SATURATION) {
            double t = Math.exp(-2 * a);
            r = (1 - t) / (1 + t);
        } else {
            r = a != a ? a : 1.0;  // NaN stays NaN
        }
        return Math.copySign(r, x);
    }
}
