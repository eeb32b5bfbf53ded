package dev.unroll.training.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Token sequences and their next tokens, for a {@link LanguageModel}.
 *
 * @param input             {@code B} sequences of up to {@code T} steps
 * @param targets           {@code [T * B]} time-major: the token that follows each input token; negative marks
 *                          padding (no loss)
 * @param continuesPrevious whether the model starts from the state the previous batch left (stateful training,
 *                          see {@link TimeSplittable})
 */
public record LanguageModelBatch(TokenSequences input, int[] targets, boolean continuesPrevious)
        implements TimeSplittable<LanguageModelBatch> {

    public LanguageModelBatch {
        if (targets.length != input.steps() * input.batch()) {
            throw new IllegalArgumentException(targets.length + " targets for [T=" + input.steps() + ", B="
                    + input.batch() + "]");
        }
    }

    /** Each sequence (at least 2 tokens) predicts itself shifted by one: input {@code s[0..n-2]}, target {@code s[1..n-1]}. */
    public static LanguageModelBatch fromSequences(List<int[]> sequences) {
        List<int[]> inputs = new ArrayList<>();
        List<int[]> nextTokens = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            if (s.length < 2) {
                throw new IllegalArgumentException("sequence " + i + " has " + s.length
                        + " tokens; a language model needs at least 2");
            }
            inputs.add(Arrays.copyOf(s, s.length - 1));
            nextTokens.add(Arrays.copyOfRange(s, 1, s.length));
        }
        TokenSequences input = TokenSequences.pad(inputs);
        return new LanguageModelBatch(input, TimeMajor.targets(nextTokens, input.steps()), false);
    }

    /**
     * One long token stream cut into {@code batch} contiguous rows read in parallel (row {@code b} is the
     * {@code b}-th slice of the stream), for stateful training with truncated BPTT; the tail that does not fill
     * a row is dropped.
     */
    public static LanguageModelBatch fromStream(int[] tokens, int batch) {
        if (batch < 1) { // before dividing by it
            throw new IllegalArgumentException("batch must be >= 1, was " + batch);
        }
        int steps = (tokens.length - 1) / batch;
        if (steps < 1) {
            throw new IllegalArgumentException("a stream of " + tokens.length + " tokens is too short for "
                    + batch + " rows");
        }
        int[] ids = new int[steps * batch];
        int[] targets = new int[steps * batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                ids[t * batch + b] = tokens[b * steps + t];
                targets[t * batch + b] = tokens[b * steps + t + 1];
            }
        }
        int[] lengths = new int[batch];
        Arrays.fill(lengths, steps);
        return new LanguageModelBatch(new TokenSequences(ids, lengths, steps, batch), targets, false);
    }

    @Override
    public int steps() {
        return input.steps();
    }

    @Override
    public List<LanguageModelBatch> splitTime(int windowSteps) {
        List<LanguageModelBatch> windows = new ArrayList<>();
        int batch = input.batch();
        for (int first = 0; first < steps(); first += windowSteps) {
            int count = Math.min(windowSteps, steps() - first);
            int[] window = Arrays.copyOfRange(targets, first * batch, (first + count) * batch);
            windows.add(new LanguageModelBatch(input.sliceTime(first, count), window,
                    first > 0 || continuesPrevious));
        }
        return windows;
    }
}
