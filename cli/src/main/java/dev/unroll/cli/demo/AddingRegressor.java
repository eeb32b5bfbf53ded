package dev.unroll.cli.demo;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.CellType;
import dev.unroll.cells.InputGradients;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.training.clip.ClipReport;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.data.AddingBatch;
import dev.unroll.training.data.AddingProblem;
import dev.unroll.training.loss.MeanSquaredError;
import dev.unroll.training.nn.Dense;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.SeededRandom;
import dev.unroll.training.optim.Optimizer;
import dev.unroll.training.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's model: one recurrent layer reads the {@code [T, B, 2]} adding-problem sequence and a dense head
 * maps its final hidden state to the predicted sum. Written out here rather than taken from the training
 * library's models because the demo needs what a model hides: the gradient of the loss with respect to
 * every input step ({@code InputGradients.dx()}), the picture of how far back the gradient reaches.
 *
 * <p>All tensors for one batch size are allocated once and reused, so a training step allocates nothing but
 * the input gradients the stack returns (and the optimizer's state on its first step).
 */
final class AddingRegressor implements AutoCloseable {
    private final Backend backend;
    private final int steps;
    private final int batch;
    private final RecurrentStack stack;
    private final Dense head;
    private final List<NamedParameter> parameters = new ArrayList<>();
    private final Optimizer adam;
    private final double learningRate;
    private final GradientClipper clipper;

    private final Tensor inputs;
    private final Tensor targets;
    private final Tensor prediction;
    private final Tensor dPrediction;
    private final Tensor dFinalHidden;
    private final Tensor dFinalHiddenRows;

    /**
     * @param batch the batch size of every call ({@link #trainStep}, {@link #evaluate}, {@link #inputGradientNorms})
     */
    AddingRegressor(Backend backend, CellType cell, int steps, int hidden, int batch, double learningRate,
                    double clipNorm, long seed) {
        this.backend = backend;
        this.steps = steps;
        this.batch = batch;
        this.stack = new RecurrentStack(backend, DType.FLOAT32, RecurrentConfig.of(cell, AddingProblem.FEATURES, hidden));
        this.head = new Dense(backend, DType.FLOAT32, "head", hidden, 1);
        stack.initialize(seed);
        head.initialize(new SeededRandom(seed + 1));
        stack.parameters().forEach(p -> parameters.add(NamedParameter.of("rnn", p)));
        parameters.addAll(head.parameters());
        this.adam = OptimizerConfig.adam(learningRate).create();
        this.learningRate = learningRate;
        this.clipper = GradientClipper.globalNorm(clipNorm);
        inputs = backend.allocate(DType.FLOAT32, steps, batch, AddingProblem.FEATURES);
        targets = backend.allocate(DType.FLOAT32, batch, 1);
        prediction = backend.allocate(DType.FLOAT32, batch, 1);
        dPrediction = backend.allocate(DType.FLOAT32, batch, 1);
        dFinalHidden = backend.allocate(DType.FLOAT32, 1, batch, hidden);
        dFinalHiddenRows = backend.reshape(dFinalHidden, batch, hidden);
    }

    /** One step of Adam on {@code examples}; returns the batch's loss and the gradient norm before clipping. */
    StepResult trainStep(AddingBatch examples) {
        load(examples);
        try (RecurrentPass pass = stack.forward(inputs, null, null, null, true);
             Tensor finalHidden = backend.reshape(pass.finalHidden(), batch, stack.config().hiddenSize())) {
            head.forward(finalHidden, prediction);
            double loss = MeanSquaredError.forwardBackward(prediction, targets, dPrediction);
            stack.zeroGrad();
            head.zeroGrad();
            head.backward(finalHidden, dPrediction, dFinalHiddenRows);
            stack.backward(pass, null, dFinalHidden, null).close();
            ClipReport clip = clipper.clip(parameters);
            adam.step(parameters, learningRate);
            return new StepResult(loss, clip.normBefore());
        }
    }

    /** The mean squared error on {@code examples}, without training. */
    double evaluate(AddingBatch examples) {
        load(examples);
        try (RecurrentPass pass = stack.forward(inputs, null, null, null, false);
             Tensor finalHidden = backend.reshape(pass.finalHidden(), batch, stack.config().hiddenSize())) {
            head.forward(finalHidden, prediction);
            return MeanSquaredError.forwardBackward(prediction, targets, null);
        }
    }

    /**
     * How much of the loss's gradient reaches each input step: {@code ||dL_b/dx_t||} for every step {@code t},
     * averaged over the examples {@code b} of the batch ({@code L_b} is one example's squared error, so the
     * numbers do not depend on the batch size). Leaves the parameters' gradients dirty, not the parameters.
     *
     * @return {@code [T]} the mean norm per step
     */
    double[] inputGradientNorms(AddingBatch examples) {
        load(examples);
        float[] dx = new float[steps * batch * AddingProblem.FEATURES];
        try (RecurrentPass pass = stack.forward(inputs, null, null, null, false);
             Tensor finalHidden = backend.reshape(pass.finalHidden(), batch, stack.config().hiddenSize())) {
            head.forward(finalHidden, prediction);
            MeanSquaredError.forwardBackward(prediction, targets, dPrediction);
            // the loss is the batch mean: undo the 1/B to see one example's gradient
            backend.scale(batch, dPrediction, dPrediction);
            head.backward(finalHidden, dPrediction, dFinalHiddenRows);
            try (InputGradients gradients = stack.backward(pass, null, dFinalHidden, null)) {
                backend.download(gradients.dx(), dx);
            }
        }
        double[] norms = new double[steps];
        for (int t = 0; t < steps; t++) {
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                double squares = 0;
                for (int f = 0; f < AddingProblem.FEATURES; f++) {
                    double g = dx[(t * batch + b) * AddingProblem.FEATURES + f];
                    squares += g * g;
                }
                sum += Math.sqrt(squares);
            }
            norms[t] = sum / batch;
        }
        return norms;
    }

    private void load(AddingBatch examples) {
        if (examples.batchSize() != batch || examples.sequenceLength() != steps) {
            throw new IllegalArgumentException("expected a batch of " + batch + " sequences of " + steps
                    + " steps, got " + examples.batchSize() + " of " + examples.sequenceLength());
        }
        inputs.copyFrom(examples.inputs());
        targets.copyFrom(examples.targets());
    }

    /** The loss of one training step and the global gradient norm before clipping. */
    record StepResult(double loss, double gradientNorm) {
    }

    @Override
    public void close() {
        adam.close();
        for (Tensor t : new Tensor[] {dFinalHiddenRows, dFinalHidden, dPrediction, prediction, targets, inputs}) {
            t.close();
        }
        head.close();
        stack.close();
    }
}
