package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchingTest {

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
