package dev.unroll.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.Backends;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.RegressionBatch;
import dev.unroll.training.model.RegressorConfig;
import dev.unroll.training.model.SequenceRegressor;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's bridge from adding-problem batches to the library's {@link SequenceRegressor}. */
class AddingDemoTest {
    private static final int T = 8;
    private static final int B = 5;

    private static SequenceRegressor regressor(Backend backend) {
        SequenceRegressor model = new SequenceRegressor(backend, DType.FLOAT32, new RegressorConfig(
                InputSpec.features(AddingProblem.FEATURES), RecurrentConfig.of(CellType.GRU, AddingProblem.FEATURES, 4), 1));
        model.initialize(3);
        return model;
    }

    @Test
    void aBatchAndItsExamplesOneByOneHaveTheSameLoss() {
        AddingBatch batch = new AddingProblem(T).sample(B, 11L);
        try (Backend backend = Backends.fromConfiguration("ejml"); SequenceRegressor model = regressor(backend)) {
            List<RegressionBatch> examples = AddingDemo.singleExamples(batch);
            assertEquals(B, examples.size());
            double sum = 0;
            for (int b = 0; b < B; b++) {
                RegressionBatch example = examples.get(b);
                assertEquals(1, example.input().batch());
                assertEquals(batch.targets()[b], example.targets()[0]);
                sum += model.loss(example);
            }
            assertEquals(sum / B, model.loss(AddingDemo.regressionBatch(batch)), 1e-6);
        }
    }

    @Test
    void theGradientReachingEachStepIsTheMeanOfTheExamplesOwn() {
        AddingBatch batch = new AddingProblem(T).sample(B, 7L);
        try (Backend backend = Backends.fromConfiguration("ejml"); SequenceRegressor model = regressor(backend)) {
            List<RegressionBatch> examples = AddingDemo.singleExamples(batch);
            double[] mean = AddingDemo.meanInputGradientNorms(model, examples);
            // the library's norm over the whole batch is of the batch-mean loss: B * it is the L2 of the examples'
            double[] whole = model.inputGradientNorms(AddingDemo.regressionBatch(batch));
            double[] expectedMean = new double[T];
            double[] squares = new double[T];
            for (RegressionBatch example : examples) {
                double[] own = model.inputGradientNorms(example);
                for (int t = 0; t < T; t++) {
                    expectedMean[t] += own[t] / B;
                    squares[t] += own[t] * own[t];
                }
            }

            assertArrayEquals(expectedMean, mean, 1e-12);
            for (int t = 0; t < T; t++) {
                assertEquals(Math.sqrt(squares[t]), B * whole[t], 1e-4 * Math.sqrt(squares[t]) + 1e-12, "step " + t);
            }
            assertTrue(mean[T - 1] > 0);
            // the same example B times gives that example's norms: the number does not depend on the batch size
            assertArrayEquals(model.inputGradientNorms(examples.get(0)),
                    AddingDemo.meanInputGradientNorms(model, Collections.nCopies(B, examples.get(0))), 1e-12);
        }
    }
}
