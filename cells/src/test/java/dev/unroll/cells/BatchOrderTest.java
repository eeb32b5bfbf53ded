package dev.unroll.cells;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchOrderTest {

    @Test
    void sortsByDecreasingLengthKeepingTiesInOrder() {
        BatchOrder order = new BatchOrder(5, 4, new int[] {2, 5, 2, 4});
        // sorted rows: b=1 (5), b=3 (4), b=0 (2), b=2 (2)
        assertArrayEquals(new int[] {1, 3, 0, 2}, order.blockToSorted(0));
        assertArrayEquals(new int[] {5, 7, 4, 6}, order.blockToSorted(1));
        assertArrayEquals(new int[] {2, 0, 3, 1}, order.blockToOriginal());
        assertEquals(5, order.sortedLength(0));
        assertEquals(2, order.sortedLength(3));
    }

    @Test
    void activeRowsArePrefixesThatShrinkWithTime() {
        BatchOrder order = new BatchOrder(5, 4, new int[] {2, 5, 2, 4});
        int[] active = new int[5];
        for (int t = 0; t < 5; t++) {
            active[t] = order.active(t);
        }
        assertArrayEquals(new int[] {4, 4, 2, 2, 1}, active);
    }

    @Test
    void gatherIndicesRoundTripOverTimeBlocks() {
        BatchOrder order = new BatchOrder(3, 3, new int[] {1, 3, 2});
        int[] toSorted = order.toSorted(3);
        int[] toOriginal = order.toOriginal(3);
        for (int row = 0; row < 9; row++) {
            assertEquals(row, toSorted[toOriginal[row]]);
            assertEquals(row / 3, toSorted[row] / 3, "indices stay inside their time block");
        }
    }

    @Test
    void withoutLengthsEverySequenceRunsEveryStepInItsOwnOrder() {
        BatchOrder order = new BatchOrder(3, 2, null);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, order.toSorted(3));
        assertEquals(2, order.active(2));
    }
}
