package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchingTest {

    @Test
    void padsTimeMajorWithPaddingIdsAndKeepsLengths() {
        PaddedBatch batch = Batching.pad(List.of(new int[] {5, 6, 7}, new int[] {8}));

        assertEquals(3, batch.maxLength());
        assertEquals(2, batch.batchSize());
        assertArrayEquals(new int[] {3, 1}, batch.lengths());
        // step 0: both sequences; steps 1 and 2: the second is padding
        assertArrayEquals(new int[] {5, 8, 6, Vocabulary.PAD_ID, 7, Vocabulary.PAD_ID}, batch.ids());
        assertEquals(7, batch.id(2, 0));
    }

    @Test
    void padsTargetsWithTheIgnoredTarget() {
        int[] targets = Batching.padTargets(List.of(new int[] {1, 2}, new int[] {3}), 3);

        assertArrayEquals(new int[] {1, 3, 2, -1, -1, -1}, targets);
        assertTrue(Batching.IGNORED_TARGET < 0);
    }

    @Test
    void rejectsEmptyBatchesAndSequences() {
        assertThrows(IllegalArgumentException.class, () -> Batching.pad(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Batching.pad(List.of(new int[] {1}, new int[0])));
        assertThrows(IllegalArgumentException.class, () -> Batching.padTargets(List.<int[]>of(new int[] {1, 2}), 1));
    }

    @Test
    void cutsIntoBatchesWithASmallerLastOne() {
        List<List<Integer>> batches = Batching.batches(List.of(1, 2, 3, 4, 5), 2);

        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5)), batches);
    }

    @Test
    void splitIsASeededPartitionOfAllExamples() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();

        TrainTestSplit<Integer> split = TrainTestSplit.of(items, 0.2, 5L);

        assertEquals(80, split.train().size());
        assertEquals(20, split.test().size());
        List<Integer> union = new ArrayList<>(split.train());
        union.addAll(split.test());
        assertEquals(new HashSet<>(items), new HashSet<>(union));
        assertEquals(split, TrainTestSplit.of(items, 0.2, 5L));
        assertEquals(1, TrainTestSplit.of(List.of(1, 2, 3), 0.01, 1L).test().size());
    }

    @Test
    void shuffleIsSeeded() {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();

        assertEquals(Batching.shuffled(items, new Random(9)), Batching.shuffled(items, new Random(9)));
    }
}
