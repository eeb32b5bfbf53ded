package dev.unroll.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Cutting a data set into batches and shuffling it (padding a batch is {@code model.TokenSequences.pad}). */
public final class Batching {
    private Batching() {
    }

    /** Consecutive batches of {@code batchSize} items; the last one may be smaller. */
    public static <T> List<List<T>> batches(List<T> items, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < items.size(); from += batchSize) {
            out.add(List.copyOf(items.subList(from, Math.min(items.size(), from + batchSize))));
        }
        return out;
    }

    /** A shuffled copy of {@code items}; the same seed gives the same order. */
    public static <T> List<T> shuffled(List<T> items, Random random) {
        List<T> copy = new ArrayList<>(items);
        Collections.shuffle(copy, random);
        return copy;
    }
}
