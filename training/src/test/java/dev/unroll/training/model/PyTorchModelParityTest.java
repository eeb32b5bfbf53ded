package dev.unroll.training.model;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The task models against PyTorch 1.13 itself: PyTorch's weights, loaded under their state_dict names, give
 * PyTorch's mean loss, every parameter's gradient and (seq2seq) its decodings, on variable-length batches.
 * ModelGradientTest only checks our backward pass against our own forward; this catches a forward that is
 * self-consistent but not PyTorch's (a wrong final state, mask or loss normalization). The references come from
 * {@code tools/make_pytorch_model_fixtures.py}, whose docstring describes each model; the configurations here
 * must match it (a size mismatch fails when the weights load).
 */
class PyTorchModelParityTest extends FreshBackendPerTest {
    private static final DType F64 = DType.FLOAT64;
    /** Both sides compute in float64, in different operation orders. */
    private static final Tolerance TOLERANCE = Tolerance.FLOAT64;
    private static final int BEGIN = 0;
    private static final int END = 1;
    /** The generator's MAX_LENGTH and BEAM_WIDTH. */
    private static final int MAX_LENGTH = 6;
    private static final int BEAM_WIDTH = 3;
    /** Sources the seq2seq fixture decodes: decode0 .. decode2. */
    private static final int DECODED_SOURCES = 3;

    @Test
    void bidirectionalTwoLayerLstmClassifierMatchesPyTorch() {
        PyTorchFixture f = PyTorchFixture.load("model_classifier.safetensors");
        RecurrentConfig rnn = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true);
        try (SequenceClassifier model = new SequenceClassifier(backend, F64,
                new ClassifierConfig(InputSpec.tokens(7, 3), rnn, 3))) {
            f.loadWeights(model);
            // the ids as stored, padding included: PyTorch's padded positions hold arbitrary ids, ignored by both
            TokenSequences in = f.tokenSequences("batch.ids", "batch.lengths");
            ClassificationBatch batch = new ClassificationBatch(in, f.ints("batch.labels"));
            model.zeroGrad();
            assertClose("classifier loss", f.scalar("expected.loss"),
                    model.lossAndGradients(batch, Trainable.ALL_STEPS), TOLERANCE);
            f.assertGradients(model, TOLERANCE);
            assertClose("classifier evaluation loss", f.scalar("expected.loss"), model.loss(batch), TOLERANCE);
            assertClose("classifier probabilities", f.values("expected.probabilities"),
                    Arrays.stream(model.probabilities(in)).flatMapToDouble(Arrays::stream).toArray(), TOLERANCE);
        }
    }

    @Test
    void bidirectionalTwoLayerGruRegressorMatchesPyTorch() {
        PyTorchFixture f = PyTorchFixture.load("model_regressor.safetensors");
        RecurrentConfig rnn = RecurrentConfig.of(CellType.GRU, 2, 3).withLayers(2).withBidirectional(true);
        try (SequenceRegressor model = new SequenceRegressor(backend, F64,
                new RegressorConfig(InputSpec.features(2), rnn, 2))) {
            f.loadWeights(model);
            int[] shape = f.shape("batch.features");
            FeatureSequences in = new FeatureSequences(f.floats("batch.features"), f.ints("batch.lengths"),
                    shape[0], shape[1], shape[2]);
            RegressionBatch batch = new RegressionBatch(in, f.floats("batch.targets"));
            model.zeroGrad();
            assertClose("regressor loss", f.scalar("expected.loss"),
                    model.lossAndGradients(batch, Trainable.ALL_STEPS), TOLERANCE);
            f.assertGradients(model, TOLERANCE);
            assertClose("regressor evaluation loss", f.scalar("expected.loss"), model.loss(batch), TOLERANCE);
            assertClose("regressor predictions", f.values("expected.predictions"), model.predict(in), TOLERANCE);
            // last: it zeroes the parameter gradients compared above
            assertClose("regressor ||dL/dx_t||", f.values("expected.input_gradient_norms"),
                    model.inputGradientNorms(batch), TOLERANCE);
        }
    }

    private static Seq2Seq seq2seq(Backend backend, PyTorchFixture f) {
        Seq2Seq model = new Seq2Seq(backend, F64, new Seq2SeqConfig(5, 6, 3,
                RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2), BEGIN, END));
        try {
            f.loadWeights(model);
            return model;
        } catch (RuntimeException e) { // the caller never gets the model to close
            model.close();
            throw e;
        }
    }

    @Test
    void seq2seqTeacherForcedLossAndEveryGradientMatchPyTorch() {
        PyTorchFixture f = PyTorchFixture.load("model_seq2seq.safetensors");
        try (Seq2Seq model = seq2seq(backend, f)) {
            TranslationBatch batch = TranslationBatch.of(f.sequences("batch.source", "batch.source_lengths"),
                    f.sequences("batch.target", "batch.target_lengths"), BEGIN, END);
            model.zeroGrad();
            assertClose("seq2seq loss", f.scalar("expected.loss"),
                    model.lossAndGradients(batch, Trainable.ALL_STEPS), TOLERANCE);
            // encoder.* included: their gradient reaches the encoder only through the decoder's initial (h, c)
            f.assertGradients(model, TOLERANCE);
            assertClose("seq2seq evaluation loss", f.scalar("expected.loss"), model.loss(batch), TOLERANCE);
        }
    }

    @Test
    void seq2seqGreedyAndBeamDecodingsMatchPyTorch() {
        PyTorchFixture f = PyTorchFixture.load("model_seq2seq.safetensors");
        try (Seq2Seq model = seq2seq(backend, f)) {
            for (int k = 0; k < DECODED_SOURCES; k++) {
                int[] source = f.ints("decode" + k + ".source");
                String what = "seq2seq source " + Arrays.toString(source);
                assertArrayEquals(f.ints("decode" + k + ".greedy"), model.translateGreedy(source, MAX_LENGTH),
                        what + ": greedy tokens");
                Seq2Seq.Hypothesis beam = model.translateBeam(source, BEAM_WIDTH, MAX_LENGTH);
                assertArrayEquals(f.ints("decode" + k + ".beam"), beam.tokens(), what + ": beam tokens");
                assertClose(what + ": beam log-probability", f.scalar("decode" + k + ".beam_score"),
                        beam.logProbability(), TOLERANCE);
                // the score beam search reports is the teacher-forced one, in PyTorch's numbers too
                assertClose(what + ": teacher-forced log-probability of the beam result",
                        f.scalar("decode" + k + ".beam_score"), model.logProbability(source, beam.tokens()),
                        TOLERANCE);
            }
        }
    }
}
