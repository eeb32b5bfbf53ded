package dev.unroll.cells;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutMasksTest {

    @Test
    void sameSeedSameMask() {
        BatchOrder order = new BatchOrder(4, 3, new int[] {2, 4, 3});
        assertArrayEquals(DropoutMasks.draw(new SplittableRandom(7), 0.4, order, 5),
                DropoutMasks.draw(new SplittableRandom(7), 0.4, order, 5));
    }

    @Test
    void elementsAreZeroOrTheInvertedKeepScale() {
        double p = 0.25;
        double[] mask = DropoutMasks.draw(new SplittableRandom(1), p, new BatchOrder(50, 4, null), 10);
        int zeros = 0;
        for (double m : mask) {
            assertTrue(m == 0.0 || m == 1.0 / (1.0 - p), "mask element " + m);
            if (m == 0.0) {
                zeros++;
            }
        }
        double dropped = zeros / (double) mask.length;
        // 2000 Bernoulli(0.25) draws: the standard deviation of the fraction is about 0.01
        assertTrue(Math.abs(dropped - p) < 0.05, "dropped fraction " + dropped);
    }

    @Test
    void maskFollowsTheCallersBatchOrderNotTheSortedOne() {
        BatchOrder unsorted = new BatchOrder(2, 2, new int[] {1, 2});
        BatchOrder identity = new BatchOrder(2, 2, null);
        double[] permuted = DropoutMasks.draw(new SplittableRandom(3), 0.5, unsorted, 3);
        double[] plain = DropoutMasks.draw(new SplittableRandom(3), 0.5, identity, 3);
        // batch entry 0 sits in sorted row 1 and entry 1 in sorted row 0
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(plain[(t * 2) * 3 + j], permuted[(t * 2 + 1) * 3 + j]);
                assertEquals(plain[(t * 2 + 1) * 3 + j], permuted[(t * 2) * 3 + j]);
            }
        }
    }
}
