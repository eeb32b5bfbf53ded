package dev.unroll.training.data;

import java.util.List;
import java.util.Random;

/** A data set cut in two: the examples to train on and the held-out ones to measure on. */
public record TrainTestSplit<T>(List<T> train, List<T> test) {

    /**
     * Shuffles {@code items} with {@code seed} and holds out {@code testFraction} of them (at least one
     * example in each part when there are two or more).
     */
    public static <T> TrainTestSplit<T> of(List<T> items, double testFraction, long seed) {
        if (testFraction < 0 || testFraction >= 1) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), was " + testFraction);
        }
        List<T> shuffled = Batching.shuffled(items, new Random(seed));
        int test = (int) Math.round(items.size() * testFraction);
        if (testFraction > 0 && items.size() >= 2) {
            test = Math.max(1, Math.min(items.size() - 1, test));
        }
        return new TrainTestSplit<>(List.copyOf(shuffled.subList(test, shuffled.size())),
                List.copyOf(shuffled.subList(0, test)));
    }
}
