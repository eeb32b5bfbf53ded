package dev.unroll.training.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences with a tag at every step, for a {@link SequenceTagger}.
 *
 * @param input             {@code B} sequences of up to {@code T} steps
 * @param tags              {@code [T * B]} time-major tag ids; negative marks padding (no loss)
 * @param continuesPrevious whether the tagger starts from the state the previous batch left (see
 *                          {@link TimeSplittable})
 */
public record TaggingBatch(SequenceInput input, int[] tags, boolean continuesPrevious)
        implements TimeSplittable<TaggingBatch> {

    public TaggingBatch {
        if (tags.length != input.steps() * input.batch()) {
            throw new IllegalArgumentException(tags.length + " tags for [T=" + input.steps() + ", B="
                    + input.batch() + "]");
        }
    }

    /** A batch from per-sequence tag lists (each as long as its sequence), padded with -1. */
    public static TaggingBatch of(SequenceInput input, List<int[]> tagsPerSequence) {
        int steps = input.steps();
        int batch = input.batch();
        int[] tags = new int[steps * batch];
        Arrays.fill(tags, -1);
        for (int b = 0; b < batch; b++) {
            int[] seq = tagsPerSequence.get(b);
            if (seq.length != input.lengths()[b]) {
                throw new IllegalArgumentException("sequence " + b + " has " + input.lengths()[b] + " steps but "
                        + seq.length + " tags");
            }
            for (int t = 0; t < seq.length; t++) {
                tags[t * batch + b] = seq[t];
            }
        }
        return new TaggingBatch(input, tags, false);
    }

    @Override
    public int steps() {
        return input.steps();
    }

    @Override
    public List<TaggingBatch> splitTime(int windowSteps) {
        List<TaggingBatch> windows = new ArrayList<>();
        int batch = input.batch();
        for (int first = 0; first < steps(); first += windowSteps) {
            int count = Math.min(windowSteps, steps() - first);
            int[] window = Arrays.copyOfRange(tags, first * batch, (first + count) * batch);
            windows.add(new TaggingBatch(input.sliceTime(first, count), window, first > 0 || continuesPrevious));
        }
        return windows;
    }
}
