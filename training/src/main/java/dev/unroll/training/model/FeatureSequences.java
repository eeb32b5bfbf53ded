package dev.unroll.training.model;

import java.util.Arrays;

/**
 * Dense feature sequences of a batch, time-major {@code [T, B, F]} row-major (the features of step {@code t}
 * of sequence {@code b} start at {@code (t * B + b) * F}); padding holds zeros.
 *
 * @param values   {@code [T * B * F]}, single precision: a FLOAT64 model reads these floats widened exactly, so
 *                 data given in double is rounded to float once, here
 * @param lengths  {@code [B]} each sequence's length in {@code [1, T]}
 * @param steps    {@code T}
 * @param batch    {@code B}
 * @param features {@code F}
 */
public record FeatureSequences(float[] values, int[] lengths, int steps, int batch, int features)
        implements SequenceInput {

    public FeatureSequences {
        if (steps < 1 || batch < 1 || features < 1 || values.length != steps * batch * features
                || lengths.length != batch) {
            throw new IllegalArgumentException("FeatureSequences: " + values.length + " values and "
                    + lengths.length + " lengths do not fit [T=" + steps + ", B=" + batch + ", F=" + features + "]");
        }
        for (int len : lengths) {
            if (len < 1 || len > steps) {
                throw new IllegalArgumentException("FeatureSequences: length " + len + " outside [1, " + steps + "]");
            }
        }
    }

    /** A batch whose sequences all have length {@code T}. */
    public static FeatureSequences ofEqualLength(float[] values, int steps, int batch, int features) {
        int[] lengths = new int[batch];
        Arrays.fill(lengths, steps);
        return new FeatureSequences(values, lengths, steps, batch, features);
    }

    @Override
    public FeatureSequences sliceTime(int first, int count) {
        int stride = batch * features;
        float[] window = Arrays.copyOfRange(values, first * stride, (first + count) * stride);
        return new FeatureSequences(window, SequenceInput.windowLengths(lengths, first, count), count, batch,
                features);
    }
}
