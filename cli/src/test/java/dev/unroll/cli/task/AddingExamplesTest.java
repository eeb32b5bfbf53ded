package dev.unroll.cli.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;
import org.junit.jupiter.api.Test;

class AddingExamplesTest {

    @Test
    void oneExampleIsItsStepsInOrderWithBothFeatures() {
        int steps = 7;
        AddingBatch batch = new AddingProblem(steps).sample(5, 3L);

        for (int b = 0; b < batch.batchSize(); b++) {
            float[] example = AddingExamples.steps(batch, b);
            assertEquals(steps * AddingProblem.FEATURES, example.length);
            for (int t = 0; t < steps; t++) {
                assertEquals(batch.input(t, b, 0), example[2 * t]);
                assertEquals(batch.input(t, b, 1), example[2 * t + 1]);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> AddingExamples.steps(batch, 5));
    }
}
