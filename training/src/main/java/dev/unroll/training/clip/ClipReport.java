package dev.unroll.training.clip;

/**
 * What a {@link GradientClipper} saw and did.
 *
 * @param normBefore the global L2 norm of all gradients before clipping (NaN or infinite if any gradient was)
 * @param clipped    whether any gradient was changed
 */
public record ClipReport(double normBefore, boolean clipped) {
    public boolean finite() {
        return Double.isFinite(normBefore);
    }
}
