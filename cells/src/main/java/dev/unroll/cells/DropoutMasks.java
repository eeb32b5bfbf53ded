package dev.unroll.cells;

import java.util.SplittableRandom;

/**
 * Inverted-dropout masks drawn on the host, so every backend applies the same mask for the same seed: each
 * element is kept with probability {@code 1 - p} and then scaled by {@code 1 / (1 - p)}, so the expected
 * output is unchanged and evaluation needs no rescaling.
 */
final class DropoutMasks {
    private DropoutMasks() {
    }

    /**
     * The mask for the output of one layer, {@code [T*B, width]} in sorted batch order, drawn in the caller's
     * order (t, then batch entry, then feature) so the mask does not depend on the lengths.
     */
    static double[] draw(SplittableRandom random, double p, BatchOrder order, int width) {
        int steps = order.steps();
        int batch = order.batch();
        int[] toSorted = order.blockToOriginal(); // original b -> sorted row
        double keep = 1.0 / (1.0 - p);
        double[] mask = new double[steps * batch * width];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + toSorted[b];
                for (int j = 0; j < width; j++) {
                    mask[row * width + j] = random.nextDouble() < p ? 0.0 : keep;
                }
            }
        }
        return mask;
    }
}
