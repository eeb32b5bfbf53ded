package dev.unroll.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Padding sequences into time-major batches, and cutting a data set into batches. */
public final class Batching {
    /**
     * The target of a padded step: negative, so the softmax cross-entropy of the backend skips it
     * (see {@code Backend.softmaxCrossEntropy}) and a padded step adds neither loss nor gradient.
     */
    public static final int IGNORED_TARGET = -1;

    private Batching() {
    }

    /** Pads {@code sequences} (token ids) with {@link Vocabulary#PAD_ID} to the longest one's length. */
    public static PaddedBatch pad(List<int[]> sequences) {
        int batchSize = sequences.size();
        if (batchSize == 0) {
            throw new IllegalArgumentException("cannot pad an empty batch");
        }
        int maxLength = 0;
        int[] lengths = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            lengths[b] = sequences.get(b).length;
            if (lengths[b] == 0) {
                throw new IllegalArgumentException("sequence " + b + " of the batch is empty");
            }
            maxLength = Math.max(maxLength, lengths[b]);
        }
        return new PaddedBatch(maxLength, batchSize, timeMajor(sequences, maxLength, Vocabulary.PAD_ID), lengths);
    }

    /**
     * Per-step targets {@code [maxLength*B]}, time-major like {@link PaddedBatch#ids()}, with
     * {@link #IGNORED_TARGET} after each sequence's end.
     */
    public static int[] padTargets(List<int[]> targets, int maxLength) {
        for (int[] sequence : targets) {
            if (sequence.length > maxLength) {
                throw new IllegalArgumentException("a target sequence of " + sequence.length
                        + " steps is longer than the batch's " + maxLength);
            }
        }
        return timeMajor(targets, maxLength, IGNORED_TARGET);
    }

    private static int[] timeMajor(List<int[]> sequences, int maxLength, int filler) {
        int batchSize = sequences.size();
        int[] out = new int[maxLength * batchSize];
        java.util.Arrays.fill(out, filler);
        for (int b = 0; b < batchSize; b++) {
            int[] sequence = sequences.get(b);
            for (int t = 0; t < sequence.length; t++) {
                out[t * batchSize + b] = sequence[t];
            }
        }
        return out;
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
