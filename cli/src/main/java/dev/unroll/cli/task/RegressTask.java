package dev.unroll.cli.task;

import dev.unroll.cli.UserError;
import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;
import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.model.FeatureSequences;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.RegressionBatch;
import dev.unroll.training.model.RegressorConfig;
import dev.unroll.training.model.Trainable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Regression on the built-in adding problem ({@code unroll demo} is the guided version): dense inputs, a
 * regressor over the final state, mean squared error against the mean predictor's 1/6.
 */
final class RegressTask extends SequenceTask<RegressTask.Example, RegressionBatch> {
    /** The sequence length of {@code builtin:adding} here: long enough to be hard for a vanilla RNN. */
    static final int ADDING_LENGTH = 50;

    /** One adding-problem sequence: {@code [T, 2]} row-major, and its target. */
    record Example(float[] steps, float target) {
    }

    RegressTask(TokenLevel tokens) {
        super(tokens);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.REGRESS;
    }

    @Override
    public List<Example> read(Path file) {
        throw new UserError("task regress has no file format yet; use --data builtin:adding");
    }

    @Override
    public List<Example> generate(BuiltinDataset dataset, int count, long seed) {
        if (dataset != BuiltinDataset.ADDING) {
            return super.generate(dataset, count, seed);
        }
        AddingBatch all = new AddingProblem(ADDING_LENGTH).sample(count, seed);
        List<Example> examples = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            examples.add(new Example(AddingExamples.steps(all, b), all.targets()[b]));
        }
        return examples;
    }

    @Override
    public void fit(List<Example> training, List<Example> heldOut) {
        // dense inputs: nothing to learn before training
    }

    @Override
    public ModelConfig modelConfig(ModelShape shape) {
        return new RegressorConfig(InputSpec.features(AddingProblem.FEATURES), shape.rnn(AddingProblem.FEATURES), 1);
    }

    @Override
    public RegressionBatch collate(List<Example> examples) {
        int batch = examples.size();
        int features = AddingProblem.FEATURES;
        float[] values = new float[ADDING_LENGTH * batch * features];
        float[] targets = new float[batch];
        for (int b = 0; b < batch; b++) {
            float[] steps = examples.get(b).steps();
            for (int t = 0; t < ADDING_LENGTH; t++) {
                System.arraycopy(steps, t * features, values, (t * batch + b) * features, features);
            }
            targets[b] = examples.get(b).target();
        }
        return new RegressionBatch(FeatureSequences.ofEqualLength(values, ADDING_LENGTH, batch, features), targets);
    }

    @Override
    protected long lossTerms(RegressionBatch batch) {
        return batch.targets().length;
    }

    @Override
    public Metrics evaluate(Trainable<RegressionBatch> model, List<Example> examples, int batchSize) {
        WeightedMean mse = new WeightedMean();
        for (int from = 0; from < examples.size(); from += batchSize) {
            RegressionBatch batch = collate(examples.subList(from, Math.min(examples.size(), from + batchSize)));
            mse.add(model.loss(batch), lossTerms(batch));
        }
        return new Metrics().put("mse", mse.mean()).put("meanPredictorMse", AddingProblem.MEAN_PREDICTOR_MSE);
    }

    @Override
    public void saveTo(Map<String, String> extras) {
        // nothing: the inputs are numbers
    }

    @Override
    public void restoreFrom(Map<String, String> extras) {
        // nothing: the inputs are numbers
    }
}
