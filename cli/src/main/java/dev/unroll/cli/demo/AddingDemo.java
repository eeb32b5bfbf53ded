package dev.unroll.cli.demo;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cli.task.AddingExamples;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;
import dev.unroll.training.loop.BatchSource;
import dev.unroll.training.loop.Trainer;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingListener;
import dev.unroll.training.model.FeatureSequences;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.RegressionBatch;
import dev.unroll.training.model.RegressorConfig;
import dev.unroll.training.model.SequenceRegressor;
import dev.unroll.training.nn.SeededRandom;
import dev.unroll.training.optim.OptimizerConfig;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains each cell of the {@link DemoSettings} on the same adding-problem batches from the same seed and
 * measures the held-out MSE and how much gradient reaches each input step. Every cell sees identical data,
 * so the differences are the cells'.
 *
 * <p>The model is the training library's {@link SequenceRegressor} (one recurrent layer, a dense head over its
 * final hidden state, mean squared error), trained by its {@link Trainer}: one epoch of
 * {@link DemoSettings#trainSteps()} fresh batches, Adam with global-norm clipping.
 */
final class AddingDemo {
    /** The test MSE under which a cell counts as having solved the task (the bar). */
    static final double SOLVED_MSE = 0.01;

    /** Told about every training step, for a progress display. */
    interface Listener {
        void onStep(CellType cell, int step, double loss);

        default void onCellDone(CellResult result) {
        }
    }

    private final Backend backend;
    private final DemoSettings settings;
    private final AddingProblem problem;
    private final List<RegressionBatch> testSet = new ArrayList<>();
    /** The first test batch one sequence at a time: where the gradient reaching each step is measured. */
    private final List<RegressionBatch> gradientProbe;

    AddingDemo(Backend backend, DemoSettings settings) {
        this.backend = backend;
        this.settings = settings;
        this.problem = new AddingProblem(settings.sequenceLength());
        // the test set comes from its own stream, so it does not depend on how many training steps there are
        SplittableRandom testRandom = new SplittableRandom(settings.seed() ^ 0x7e57L);
        List<AddingBatch> test = new ArrayList<>();
        for (int i = 0; i < settings.testBatches(); i++) {
            test.add(problem.sample(settings.batch(), testRandom));
        }
        test.forEach(batch -> testSet.add(regressionBatch(batch)));
        gradientProbe = singleExamples(test.get(0));
    }

    DemoReport run(Listener listener) {
        List<CellResult> results = new ArrayList<>();
        for (CellType cell : settings.cells()) {
            CellResult result = train(cell, listener);
            listener.onCellDone(result);
            results.add(result);
        }
        return new DemoReport(backend.name(), settings, AddingProblem.MEAN_PREDICTOR_MSE, SOLVED_MSE, results);
    }

    private CellResult train(CellType cell, Listener listener) {
        int steps = settings.trainSteps();
        double[] losses = new double[steps];
        double[] norms = new double[steps];
        List<Integer> evaluatedAt = new ArrayList<>();
        List<Double> testCurve = new ArrayList<>();
        RegressorConfig config = new RegressorConfig(InputSpec.features(AddingProblem.FEATURES),
                RecurrentConfig.of(cell, AddingProblem.FEATURES, settings.hidden()), 1);
        TrainerConfig training = TrainerConfig.of(1, settings.seed(), OptimizerConfig.adam(settings.learningRate()))
                .withShuffle(false)
                .withClipper(GradientClipper.globalNorm(settings.clipNorm()));
        try (SequenceRegressor model = new SequenceRegressor(backend, DType.FLOAT32, config);
             Trainer<RegressionBatch> trainer = new Trainer<>(model, this::trainingBatches, training)) {
            model.initialize(settings.seed());
            double[] gradientAtStart = meanInputGradientNorms(model, gradientProbe);
            evaluatedAt.add(0);
            testCurve.add(testMse(model));
            trainer.addListener(TrainingListener.onEachStep(report -> {
                int step = (int) report.step();
                losses[step - 1] = report.loss();
                norms[step - 1] = report.gradientNorm();
                listener.onStep(cell, step, report.loss());
                if (step % settings.evalEvery() == 0 || step == steps) {
                    evaluatedAt.add(step);
                    testCurve.add(testMse(model));
                }
            }));
            long start = System.nanoTime();
            trainer.train();
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] gradientAtEnd = meanInputGradientNorms(model, gradientProbe);
            double finalMse = testCurve.get(testCurve.size() - 1);
            return new CellResult(cell.id(), finalMse, finalMse < SOLVED_MSE, seconds, losses, norms,
                    evaluatedAt.stream().mapToInt(Integer::intValue).toArray(),
                    testCurve.stream().mapToDouble(Double::doubleValue).toArray(), gradientAtStart, gradientAtEnd);
        }
    }

    /**
     * The one epoch the trainer runs: {@code trainSteps} fresh batches, batch {@code i} drawn when the trainer
     * reaches it from a stream of its own (derived from the seed and {@code i}), so nothing is held in memory
     * and every cell gets the same data.
     */
    private List<RegressionBatch> trainingBatches(int epoch, long seed, boolean shuffle) {
        return new AbstractList<>() {
            @Override
            public RegressionBatch get(int index) {
                long stream = SeededRandom.derive(seed, index).nextLong();
                return regressionBatch(problem.sample(settings.batch(), new SplittableRandom(stream)));
            }

            @Override
            public int size() {
                return settings.trainSteps();
            }
        };
    }

    private double testMse(SequenceRegressor model) {
        double sum = 0;
        for (RegressionBatch batch : testSet) {
            sum += model.loss(batch);
        }
        return sum / testSet.size();
    }

    /**
     * How much of the loss's gradient reaches each input step: {@code ||dL_b/dx_t||} for every step {@code t},
     * averaged over the examples {@code b} ({@code L_b} is one example's squared error, so the numbers do not
     * depend on the batch size). Each example is a batch of its own, whose mean loss is that example's error.
     *
     * @return {@code [T]} the mean norm per step
     */
    static double[] meanInputGradientNorms(SequenceRegressor model, List<RegressionBatch> examples) {
        double[] mean = null;
        for (RegressionBatch example : examples) {
            double[] norms = model.inputGradientNorms(example);
            if (mean == null) {
                mean = new double[norms.length];
            }
            for (int t = 0; t < norms.length; t++) {
                mean[t] += norms[t] / examples.size();
            }
        }
        return mean;
    }

    /** The adding problem's {@code [T, B, 2]} inputs and {@code [B]} sums as a regressor's batch. */
    static RegressionBatch regressionBatch(AddingBatch batch) {
        return new RegressionBatch(FeatureSequences.ofEqualLength(batch.inputs(), batch.sequenceLength(),
                batch.batchSize(), AddingProblem.FEATURES), batch.targets());
    }

    /** Every example of {@code batch} as a batch of one. */
    static List<RegressionBatch> singleExamples(AddingBatch batch) {
        int steps = batch.sequenceLength();
        int features = AddingProblem.FEATURES;
        List<RegressionBatch> examples = new ArrayList<>(batch.batchSize());
        for (int b = 0; b < batch.batchSize(); b++) {
            examples.add(new RegressionBatch(FeatureSequences.ofEqualLength(AddingExamples.steps(batch, b), steps, 1,
                    features), new float[] {batch.targets()[b]}));
        }
        return examples;
    }
}
