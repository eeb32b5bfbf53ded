package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradient;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.nn.Dense;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * The shape of the classifier, regressor, tagger and language model: a {@link SequenceEncoder} (parameters
 * {@code embedding.*}, {@code rnn.*}) and a dense head ({@code head.*}), the names a PyTorch module with
 * attributes {@code embedding}, {@code rnn} and {@code head} would give.
 */
abstract class EncoderHeadModel implements SequenceModel {
    final Backend backend;
    final DType dtype;
    final SequenceEncoder encoder;
    final Dense head;
    private final List<NamedParameter> parameters = new ArrayList<>();

    EncoderHeadModel(Backend backend, DType dtype, InputSpec input, RecurrentConfig rnn, int headOutputs) {
        this.backend = backend;
        this.dtype = dtype;
        this.encoder = new SequenceEncoder(backend, dtype, "", input, rnn);
        try {
            this.head = new Dense(backend, dtype, "head", rnn.outputSize(), headOutputs);
        } catch (RuntimeException | Error e) { // the caller never gets the model, so nobody else could free the encoder
            encoder.close();
            throw e;
        }
        parameters.addAll(encoder.parameters());
        parameters.addAll(head.parameters());
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public List<NamedParameter> parameters() {
        return parameters;
    }

    @Override
    public void initialize(long seed) {
        SeededRandom random = new SeededRandom(seed);
        encoder.initialize(random);
        head.initialize(random);
    }

    @Override
    public long trainingPasses() {
        return encoder.trainingPasses();
    }

    @Override
    public void restoreTrainingPasses(long passes) {
        encoder.restoreTrainingPasses(passes);
    }

    /**
     * The many-to-one loss of the classifier and the regressor, which differ only in {@code headLoss}: it gets
     * the {@link #lastLayerState} {@code [B, D*H]} and, when training, a tensor of that shape to write the
     * loss's gradient into (null in evaluation), and returns the mean loss. Training back-propagates through the
     * stack into every parameter's gradient.
     */
    double finalStateLoss(SequenceInput in, ToDoubleBiFunction<Tensor, Tensor> headLoss, boolean train,
                          int backpropSteps) {
        int b = in.batch();
        try (SequenceEncoder.Pass pass = encoder.forward(in, null, null, train);
             Tensor features = lastLayerState(pass, b)) {
            if (!train) {
                return headLoss.applyAsDouble(features, null);
            }
            try (Tensor dFeatures = backend.allocate(dtype, b, encoder.rnn().outputSize())) {
                double loss = headLoss.applyAsDouble(features, dFeatures);
                try (Tensor dhN = finalHiddenGradient(dFeatures, b)) {
                    pass.backward(null, dhN, null, backpropSteps, InputGradient.SKIP).close();
                }
                return loss;
            }
        }
    }

    /**
     * The last layer's final hidden state of both directions, {@code [B, D*H]}: what a many-to-one head reads.
     */
    Tensor lastLayerState(SequenceEncoder.Pass pass, int batch) {
        RecurrentConfig rnn = encoder.rnn();
        int hidden = rnn.hiddenSize();
        Tensor features = backend.allocate(dtype, batch, rnn.outputSize());
        for (int d = 0; d < rnn.directions(); d++) {
            int row = ((rnn.numLayers() - 1) * rnn.directions() + d) * batch;
            try (Tensor state = backend.viewRows(pass.finalHidden(), row, batch)) {
                backend.copyColumns(state, 0, features, d * hidden, hidden);
            }
        }
        return features;
    }

    /**
     * The gradient of the final hidden state {@code [L*D, B, H]} given the gradient of
     * {@link #lastLayerState} {@code [B, D*H]}: zero except in the last layer's rows.
     */
    Tensor finalHiddenGradient(Tensor dFeatures, int batch) {
        RecurrentConfig rnn = encoder.rnn();
        int hidden = rnn.hiddenSize();
        Tensor dhN = backend.allocate(dtype, rnn.stateLayers(), batch, hidden);
        for (int d = 0; d < rnn.directions(); d++) {
            int row = ((rnn.numLayers() - 1) * rnn.directions() + d) * batch;
            try (Tensor state = backend.viewRows(dhN, row, batch)) {
                backend.copyColumns(dFeatures, d * hidden, state, 0, hidden);
            }
        }
        return dhN;
    }

    @Override
    public void close() {
        encoder.close();
        head.close();
    }
}
