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

    /** A batch from per-sequence tag lists (one per sequence, each as long as it), padded with no target. */
    public static TaggingBatch of(SequenceInput input, List<int[]> tagsPerSequence) {
        if (tagsPerSequence.size() != input.batch()) { // before indexing, which would fail or ignore extra lists
            throw new IllegalArgumentException(tagsPerSequence.size() + " tag lists for " + input.batch()
                    + " sequences");
        }
        for (int b = 0; b < input.batch(); b++) {
            int tagCount = tagsPerSequence.get(b).length;
            if (tagCount != input.lengths()[b]) {
                throw new IllegalArgumentException("sequence " + b + " has " + input.lengths()[b] + " steps but "
                        + tagCount + " tags");
            }
        }
        return new TaggingBatch(input, TimeMajor.targets(tagsPerSequence, input.steps()), false);
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
