package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

/**
 * Many-to-one regression: like {@link SequenceClassifier}, with a linear head predicting real values and mean
 * squared error (e.g. the adding problem: features {@code [T, B, 2]} to one sum per sequence).
 */
public final class SequenceRegressor extends EncoderHeadModel implements Trainable<RegressionBatch> {
    private final RegressorConfig config;

    /** Allocates the parameters (zero); call {@link #initialize} or load values. */
    public SequenceRegressor(Backend backend, DType dtype, RegressorConfig config) {
        super(backend, dtype, config.input(), config.rnn(), config.outputs());
        this.config = config;
    }

    @Override
    public RegressorConfig config() {
        return config;
    }

    @Override
    public double lossAndGradients(RegressionBatch batch, int backpropSteps) {
        checkOutputs(batch);
        return finalStateLoss(batch.input(), (features, dFeatures) ->
                HeadLosses.meanSquaredError(head, features, batch.targets(), dFeatures), true, backpropSteps);
    }

    @Override
    public double loss(RegressionBatch batch) {
        checkOutputs(batch);
        return finalStateLoss(batch.input(), (features, dFeatures) ->
                HeadLosses.meanSquaredError(head, features, batch.targets(), dFeatures), false, 0);
    }

    /** The predicted values, {@code [B * outputs]} row-major. */
    public double[] predict(SequenceInput input) {
        try (SequenceEncoder.Pass pass = encoder.forward(input, null, null, false);
             Tensor features = lastLayerState(pass, input.batch())) {
            return HeadLosses.outputs(head, features);
        }
    }

    /**
     * How much gradient reaches each time step: {@code ||dL/dx_t||} (L2 over the batch and features) for every
     * step {@code t} of the batch, after full BPTT from the loss at the end; the vanishing-gradient picture.
     * Runs in evaluation mode (no dropout); the parameter gradients are zeroed afterwards.
     *
     * @return {@code [T]} norms
     */
    public double[] inputGradientNorms(RegressionBatch batch) {
        checkOutputs(batch);
        SequenceInput in = batch.input();
        int b = in.batch();
        double[] dx;
        try (SequenceEncoder.Pass pass = encoder.forward(in, null, null, false);
             Tensor features = lastLayerState(pass, b);
             Tensor dFeatures = backend.allocate(dtype, b, config.rnn().outputSize())) {
            HeadLosses.meanSquaredError(head, features, batch.targets(), dFeatures);
            try (Tensor dhN = finalHiddenGradient(dFeatures, b);
                 dev.unroll.cells.InputGradients grads = pass.backward(null, dhN, null, ALL_STEPS)) {
                dx = grads.dx().toDoubleArray();
            }
        } finally {
            zeroGrad();
        }
        int perStep = dx.length / in.steps();
        double[] norms = new double[in.steps()];
        for (int t = 0; t < norms.length; t++) {
            double sum = 0;
            for (int i = t * perStep; i < (t + 1) * perStep; i++) {
                sum += dx[i] * dx[i];
            }
            norms[t] = Math.sqrt(sum);
        }
        return norms;
    }

    private void checkOutputs(RegressionBatch batch) {
        if (batch.outputs() != config.outputs()) {
            throw new IllegalArgumentException("regressor predicts " + config.outputs() + " values per sequence, "
                    + "the batch has " + batch.outputs());
        }
    }
}
