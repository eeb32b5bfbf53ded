package dev.unroll.training.model;

import static dev.unroll.training.TestSupport.randomDoubles;

import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.GradientCheck;
import dev.unroll.training.nn.SeededRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every model's backward pass (head, loss, recurrent stack, embedding) against finite differences of its loss,
 * in float64 on tiny shapes with variable-length batches.
 */
class ModelGradientTest extends FreshBackendPerTest {
    private static final DType F64 = DType.FLOAT64;
    private final SeededRandom random = new SeededRandom(7);

    private static FeatureSequences features(SeededRandom random, int steps, int batch, int width, int[] lengths) {
        double[] v = randomDoubles(random, steps * batch * width);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return new FeatureSequences(f, lengths, steps, batch, width);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void classifierWithTokensAndBidirectionalStack(CellType cell) {
        RecurrentConfig rnn = RecurrentConfig.of(cell, 3, 2).withLayers(2).withBidirectional(true);
        try (SequenceClassifier model = new SequenceClassifier(backend, F64,
                new ClassifierConfig(InputSpec.tokens(5, 3), rnn, 3))) {
            model.initialize(11);
            TokenSequences in = TokenSequences.pad(List.of(new int[] {1, 2, 3}, new int[] {4}, new int[] {0, 2}));
            GradientCheck.check(model, new ClassificationBatch(in, new int[] {2, 0, 1}));
        }
    }

    @Test
    void regressorWithDenseFeatures() {
        RecurrentConfig rnn = RecurrentConfig.of(CellType.LSTM, 2, 3);
        try (SequenceRegressor model = new SequenceRegressor(backend, F64,
                new RegressorConfig(InputSpec.features(2), rnn, 1))) {
            model.initialize(3);
            FeatureSequences in = features(random, 4, 2, 2, new int[] {4, 3});
            GradientCheck.check(model, new RegressionBatch(in, new float[] {0.5f, -1.25f}));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "RNN_TANH"})
    void taggerWithPaddedSteps(CellType cell) {
        RecurrentConfig rnn = RecurrentConfig.of(cell, 3, 2).withBidirectional(true);
        try (SequenceTagger model = new SequenceTagger(backend, F64, new TaggerConfig(InputSpec.tokens(6, 3), rnn, 4))) {
            model.initialize(5);
            TokenSequences in = TokenSequences.pad(List.of(new int[] {1, 5, 2}, new int[] {3, 3}));
            GradientCheck.check(model, TaggingBatch.of(in, List.of(new int[] {0, 3, 1}, new int[] {2, 2})));
        }
    }

    @Test
    void languageModel() {
        RecurrentConfig rnn = RecurrentConfig.of(CellType.LSTM, 3, 3).withLayers(2);
        try (LanguageModel model = new LanguageModel(backend, F64, new LanguageModelConfig(5, 3, rnn, 0))) {
            model.initialize(9);
            GradientCheck.check(model, LanguageModelBatch.fromSequences(
                    List.of(new int[] {0, 1, 2, 3, 4}, new int[] {0, 4, 4})));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void seq2seqReachesTheEncoderThroughTheDecodersInitialState(CellType cell) {
        RecurrentConfig rnn = RecurrentConfig.of(cell, 3, 2);
        try (Seq2Seq model = new Seq2Seq(backend, F64, new Seq2SeqConfig(4, 5, 3, rnn, 0, 1))) {
            model.initialize(13);
            TranslationBatch batch = TranslationBatch.of(List.of(new int[] {1, 2, 3}, new int[] {0}),
                    List.of(new int[] {2, 3}, new int[] {4, 4, 2}), 0, 1);
            GradientCheck.check(model, batch);
        }
    }
}
