package dev.unroll.cli.task;

import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;

/**
 * One adding-problem example taken out of a time-major batch, for the commands that handle examples one at a
 * time: {@code train --data builtin:adding} keeps examples to split and shuffle, the demo measures gradients per
 * example.
 */
public final class AddingExamples {
    private AddingExamples() {
    }

    /** Example {@code b} of {@code batch}: its {@code [T, 2]} inputs, row-major (step {@code t} at {@code 2t}). */
    public static float[] steps(AddingBatch batch, int b) {
        if (b < 0 || b >= batch.batchSize()) {
            throw new IndexOutOfBoundsException("example " + b + " of a batch of " + batch.batchSize());
        }
        int features = AddingProblem.FEATURES;
        float[] steps = new float[batch.sequenceLength() * features];
        for (int t = 0; t < batch.sequenceLength(); t++) {
            System.arraycopy(batch.inputs(), (t * batch.batchSize() + b) * features, steps, t * features, features);
        }
        return steps;
    }
}
