package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.FailingAllocations;
import dev.unroll.training.TestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constructor or forward pass that fails part-way frees the tensors it had allocated: the caller never gets
 * the object, so nobody else could.
 */
class FailureCleanupTest {

    static List<ModelConfig> everyModelKind() {
        RecurrentConfig lstm = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withLearnedInitialState(true);
        return List.of(
                new ClassifierConfig(InputSpec.tokens(7, 3), lstm.withBidirectional(true), 3),
                new RegressorConfig(InputSpec.features(3), RecurrentConfig.of(CellType.RNN_RELU, 3, 2), 2),
                new TaggerConfig(InputSpec.tokens(5, 3), RecurrentConfig.of(CellType.GRU, 3, 2), 4),
                new LanguageModelConfig(9, 3, lstm, 1),
                new Seq2SeqConfig(6, 8, 3, RecurrentConfig.of(CellType.GRU, 3, 5), 0, 1));
    }

    @ParameterizedTest
    @MethodSource("everyModelKind")
    void aFailedAllocationDuringConstructionLeavesNothingAllocated(ModelConfig config) {
        try (Backend backend = TestSupport.backend()) {
            int before = FailingAllocations.live(backend);
            int n = 1;
            while (true) { // fail the 1st allocation, then the 2nd, ... until construction needs no more
                Backend failing = FailingAllocations.failingAt(backend, n);
                try (SequenceModel model = Models.create(failing, DType.FLOAT32, config)) {
                    break;
                } catch (FailingAllocations.PlantedFailure e) {
                    assertEquals(before, FailingAllocations.live(backend), config.kind()
                            + ": tensors left allocated when allocation " + n + " failed");
                }
                n++;
            }
            assertTrue(n > 4, "the model allocates an embedding, a stack and a head: " + n);
            assertEquals(before, FailingAllocations.live(backend));
        }
    }

    @Test
    void anOutOfMemoryErrorWhileBuildingTheDecoderFreesTheEncoder() {
        Seq2SeqConfig config = new Seq2SeqConfig(6, 8, 3, RecurrentConfig.of(CellType.GRU, 3, 5), 0, 1);
        try (Backend backend = TestSupport.backend()) {
            int before = FailingAllocations.live(backend);
            int encoderTensors;
            try (SequenceEncoder encoder = new SequenceEncoder(backend, DType.FLOAT32, "encoder.",
                    InputSpec.tokens(config.sourceVocabulary(), config.embeddingSize()), config.rnn())) {
                encoderTensors = FailingAllocations.live(backend) - before;
            }
            // the allocation after the encoder's: the decoder's embedding, the first tensor the decoder allocates
            Backend failing = FailingAllocations.outOfMemoryAt(backend, encoderTensors + 1);

            OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
                    () -> new Seq2Seq(failing, DType.FLOAT32, config).close());
            assertTrue(e.getMessage().contains("planted"), e.getMessage());
            assertEquals(before, FailingAllocations.live(backend), "the encoder was left allocated");
        }
    }

    /**
     * Out of heap at each allocation a classifier's constructor makes in turn (embedding, stack, head): whatever
     * was allocated before it is freed, through every layer's constructor (an {@link OutOfMemoryError} is not a
     * RuntimeException, and a JVM backend's {@code new float[n]} throws one).
     */
    @Test
    void anOutOfMemoryErrorAtAnyAllocationOfAClassifierFreesWhatWasAllocated() {
        ClassifierConfig config = new ClassifierConfig(InputSpec.tokens(6, 3),
                RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withLearnedInitialState(true), 3);
        try (Backend backend = TestSupport.backend()) {
            int before = FailingAllocations.live(backend);
            int tried = 0;
            for (int failAt = 1; ; failAt++) {
                Backend failing = FailingAllocations.outOfMemoryAt(backend, failAt);
                try {
                    new SequenceClassifier(failing, DType.FLOAT32, config).close();
                    break; // constructed: every allocation of the constructor has been tried
                } catch (OutOfMemoryError e) {
                    tried++;
                }
                assertEquals(before, FailingAllocations.live(backend),
                        "allocation " + failAt + " failed and tensors allocated before it stayed allocated");
            }
            assertTrue(tried > 10, "only " + tried + " allocations tried");
        }
    }

    @Test
    void anIdOutsideTheVocabularyLeavesNothingAllocated() {
        try (Backend backend = TestSupport.backend();
             SequenceTagger tagger = new SequenceTagger(backend, DType.FLOAT32,
                     new TaggerConfig(InputSpec.tokens(5, 3), RecurrentConfig.of(CellType.GRU, 3, 2), 2))) {
            tagger.initialize(1);
            int before = FailingAllocations.live(backend);
            TokenSequences outside = TokenSequences.pad(List.of(new int[] {1, 5}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tagger.logits(outside));
            assertTrue(e.getMessage().contains("token id 5"), e.getMessage());
            assertEquals(before, FailingAllocations.live(backend), "the embedded input was not freed");
        }
    }
}
