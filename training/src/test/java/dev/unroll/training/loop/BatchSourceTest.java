package dev.unroll.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSourceTest {
    private static final List<Integer> EXAMPLES = IntStream.range(0, 10).boxed().toList();

    @Test
    void shuffledOrderDependsOnlyOnSeedAndEpoch() {
        BatchSource<List<Integer>> source = BatchSource.fromExamples(EXAMPLES, 4, List::copyOf);
        List<List<Integer>> epoch0 = source.epoch(0, 7, true);
        assertEquals(List.of(4, 4, 2), epoch0.stream().map(List::size).toList());
        assertEquals(epoch0, source.epoch(0, 7, true));
        assertNotEquals(epoch0, source.epoch(1, 7, true));
        assertNotEquals(epoch0, source.epoch(0, 8, true));
        assertEquals(EXAMPLES, epoch0.stream().flatMap(List::stream).sorted().toList(), "a permutation");
    }

    @Test
    void unshuffledOrderIsTheGivenOrder() {
        BatchSource<List<Integer>> source = BatchSource.fromExamples(EXAMPLES, 3, List::copyOf);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8), List.of(9)),
                source.epoch(5, 1, false));
        assertEquals(List.of("a", "b"), BatchSource.of(List.of("a", "b")).epoch(3, 9, false));
    }
}
