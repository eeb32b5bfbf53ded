package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddingProblemTest {
    private static final int T = 40;

    @Test
    void everyExampleHasExactlyTwoMarkersOneInEachHalfAndTheirSumAsTarget() {
        AddingBatch batch = new AddingProblem(T).sample(64, 7L);

        for (int b = 0; b < batch.batchSize(); b++) {
            int markers = 0;
            double markedSum = 0;
            for (int t = 0; t < T; t++) {
                float value = batch.input(t, b, 0);
                assertTrue(value >= 0 && value < 1, "value " + value);
                if (batch.input(t, b, 1) == 1f) {
                    markers++;
                    markedSum += value;
                } else {
                    assertEquals(0f, batch.input(t, b, 1));
                }
            }
            assertEquals(2, markers);
            assertEquals(markedSum, batch.targets()[b], 1e-6);
            assertTrue(batch.firstMarkers()[b] < T / 2 && batch.secondMarkers()[b] >= T / 2);
            assertEquals(1f, batch.input(batch.firstMarkers()[b], b, 1));
        }
    }

    @Test
    void theSameSeedGivesTheSameExamples() {
        AddingBatch one = new AddingProblem(T).sample(8, 42L);
        AddingBatch two = new AddingProblem(T).sample(8, 42L);

        assertArrayEquals(one.inputs(), two.inputs());
        assertArrayEquals(one.targets(), two.targets());
    }

    @Test
    void predictingTheMeanGivesTheVarianceBaselineOfOneSixth() {
        AddingBatch batch = new AddingProblem(T).sample(20_000, 1L);

        double squaredError = 0;
        for (float target : batch.targets()) {
            squaredError += (target - 1.0) * (target - 1.0);
        }

        assertEquals(AddingProblem.MEAN_PREDICTOR_MSE, squaredError / batch.batchSize(), 0.005);
    }

    @Test
    void rejectsSequencesTooShortForTwoMarkers() {
        assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1));
    }
}
