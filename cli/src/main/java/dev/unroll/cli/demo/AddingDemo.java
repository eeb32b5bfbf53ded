package dev.unroll.cli.demo;

import dev.unroll.api.Backend;
import dev.unroll.cells.CellType;
import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains each cell of the {@link DemoSettings} on the same adding-problem batches from the same seed and
 * measures the held-out MSE and how much gradient reaches each input step. Every cell sees identical data,
 * so the differences are the cells'.
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
    private final List<AddingBatch> testSet = new ArrayList<>();

    AddingDemo(Backend backend, DemoSettings settings) {
        this.backend = backend;
        this.settings = settings;
        this.problem = new AddingProblem(settings.sequenceLength());
        // the test set comes from its own stream, so it does not depend on how many training steps there are
        SplittableRandom testRandom = new SplittableRandom(settings.seed() ^ 0x7e57L);
        for (int i = 0; i < settings.testBatches(); i++) {
            testSet.add(problem.sample(settings.batch(), testRandom));
        }
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
        try (AddingRegressor model = new AddingRegressor(backend, cell, settings.sequenceLength(), settings.hidden(),
                settings.batch(), settings.learningRate(), settings.clipNorm(), settings.seed())) {
            double[] gradientAtStart = model.inputGradientNorms(testSet.get(0));
            evaluatedAt.add(0);
            testCurve.add(testMse(model));
            SplittableRandom trainRandom = new SplittableRandom(settings.seed());
            long start = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                AddingRegressor.StepResult result = model.trainStep(problem.sample(settings.batch(), trainRandom));
                losses[step] = result.loss();
                norms[step] = result.gradientNorm();
                listener.onStep(cell, step + 1, result.loss());
                if ((step + 1) % settings.evalEvery() == 0 || step + 1 == steps) {
                    evaluatedAt.add(step + 1);
                    testCurve.add(testMse(model));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] gradientAtEnd = model.inputGradientNorms(testSet.get(0));
            double finalMse = testCurve.get(testCurve.size() - 1);
            return new CellResult(cell.id(), finalMse, finalMse < SOLVED_MSE, seconds, losses, norms,
                    evaluatedAt.stream().mapToInt(Integer::intValue).toArray(),
                    testCurve.stream().mapToDouble(Double::doubleValue).toArray(), gradientAtStart, gradientAtEnd);
        }
    }

    private double testMse(AddingRegressor model) {
        double sum = 0;
        for (AddingBatch batch : testSet) {
            sum += model.evaluate(batch);
        }
        return sum / testSet.size();
    }
}
