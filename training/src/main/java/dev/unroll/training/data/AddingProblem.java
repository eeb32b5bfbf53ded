package dev.unroll.training.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * The adding problem of Hochreiter and Schmidhuber (1997), in the form used by later long-memory studies
 * (Le et al. 2015, Arjovsky et al. 2016): a sequence of {@code T} pairs {@code [value, marker]}, values
 * uniform in [0, 1), the marker 1 at exactly two steps (one in each half of the sequence) and 0 elsewhere;
 * the target is the sum of the two marked values.
 *
 * <p>Because the first marker may sit anywhere in the first half, the model must carry a value across up
 * to {@code T} steps. The target is the sum of two independent U(0,1) values, with variance
 * {@code 2/12 = 1/6}: that is the mean squared error of always predicting the mean 1, the baseline
 * {@link #MEAN_PREDICTOR_MSE} a model has to beat.
 */
public final class AddingProblem {
    /** Features per step: the value and the marker. */
    public static final int FEATURES = 2;
    /** The MSE of always predicting the target's mean (1.0): the variance of the sum of two U(0,1). */
    public static final double MEAN_PREDICTOR_MSE = 1.0 / 6.0;

    private final int sequenceLength;

    public AddingProblem(int sequenceLength) {
        if (sequenceLength < 2) {
            throw new IllegalArgumentException("the adding problem needs at least 2 steps, was " + sequenceLength);
        }
        this.sequenceLength = sequenceLength;
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    /**
     * {@code batchSize} fresh examples drawn from {@code random}; the same seed gives the same examples.
     */
    public AddingBatch sample(int batchSize, SplittableRandom random) {
        int t = sequenceLength;
        float[] inputs = new float[t * batchSize * FEATURES];
        float[] targets = new float[batchSize];
        int[] firstMarkers = new int[batchSize];
        int[] secondMarkers = new int[batchSize];
        int half = t / 2;
        for (int b = 0; b < batchSize; b++) {
            for (int step = 0; step < t; step++) {
                inputs[(step * batchSize + b) * FEATURES] = (float) random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(t - half);
            inputs[(first * batchSize + b) * FEATURES + 1] = 1f;
            inputs[(second * batchSize + b) * FEATURES + 1] = 1f;
            targets[b] = inputs[(first * batchSize + b) * FEATURES] + inputs[(second * batchSize + b) * FEATURES];
            firstMarkers[b] = first;
            secondMarkers[b] = second;
        }
        return new AddingBatch(t, batchSize, inputs, targets, firstMarkers, secondMarkers);
    }

    /** Same as {@link #sample(int, SplittableRandom)} with a {@link Random}-style seed. */
    public AddingBatch sample(int batchSize, long seed) {
        return sample(batchSize, new SplittableRandom(seed));
    }
}
