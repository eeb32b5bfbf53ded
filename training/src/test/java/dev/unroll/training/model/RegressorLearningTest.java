package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.loop.BatchSource;
import dev.unroll.training.loop.EpochReport;
import dev.unroll.training.loop.Trainer;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingListener;
import dev.unroll.training.nn.SeededRandom;
import dev.unroll.training.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A short adding problem (Hochreiter and Schmidhuber 1997) learned by an LSTM regressor through the Trainer. */
class RegressorLearningTest {
    private static final int STEPS = 8;
    private static final int BATCH = 16;

    /** Values uniform in [0, 1), two marked steps; the target is the sum of the marked values. */
    private static RegressionBatch addingBatch(SeededRandom random) {
        float[] x = new float[STEPS * BATCH * 2];
        float[] y = new float[BATCH];
        for (int b = 0; b < BATCH; b++) {
            int first = random.nextInt(STEPS / 2);
            int second = STEPS / 2 + random.nextInt(STEPS / 2);
            for (int t = 0; t < STEPS; t++) {
                float v = (float) random.nextDouble();
                x[(t * BATCH + b) * 2] = v;
                if (t == first || t == second) {
                    x[(t * BATCH + b) * 2 + 1] = 1;
                    y[b] += v;
                }
            }
        }
        return new RegressionBatch(FeatureSequences.ofEqualLength(x, STEPS, BATCH, 2), y);
    }

    @Test
    void anLstmLearnsTheAddingProblemAndTheValidationHookReportsIt() {
        SeededRandom random = new SeededRandom(1);
        List<RegressionBatch> train = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            train.add(addingBatch(random));
        }
        RegressionBatch test = addingBatch(random);
        List<EpochReport> epochs = new ArrayList<>();
        try (Backend backend = TestSupport.backend();
             SequenceRegressor model = new SequenceRegressor(backend, DType.FLOAT32,
                     new RegressorConfig(InputSpec.features(2), RecurrentConfig.of(CellType.LSTM, 2, 12), 1))) {
            model.initialize(3);
            double before = model.loss(test);
            try (Trainer<RegressionBatch> trainer = new Trainer<>(model, BatchSource.of(train),
                    TrainerConfig.of(25, 0, OptimizerConfig.adam(0.02)))) {
                trainer.setValidation(() -> Map.of("test_mse", model.loss(test)));
                trainer.addListener(TrainingListener.onEachEpoch(epochs::add));
                trainer.train();
            }
            assertEquals(25, epochs.size());
            double after = epochs.get(epochs.size() - 1).validation().get("test_mse");
            assertEquals(model.loss(test), after);
            // predicting the mean sum (1.0) scores about 1/6; the trained model must do far better
            assertTrue(after < 0.02, "test MSE " + after + " (before training " + before + ")");

            double[] norms = model.inputGradientNorms(test);
            assertEquals(STEPS, norms.length);
            for (double n : norms) {
                assertTrue(Double.isFinite(n) && n > 0, "gradient norm per step " + java.util.Arrays.toString(norms));
            }
        }
    }
}
