package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.loss.SoftmaxCrossEntropy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tagger read in time windows with the carried state sees what it sees reading the whole sequences; only a
 * unidirectional one may carry state, and evaluation never disturbs the state training carries.
 */
class StatefulTaggingTest {

    private static TaggingBatch longBatch() {
        TokenSequences in = TokenSequences.pad(List.of(new int[] {1, 2, 3, 4, 5, 1, 2}, new int[] {3, 1, 4}));
        return TaggingBatch.of(in, List.of(new int[] {0, 1, 2, 0, 1, 2, 0}, new int[] {2, 2, 1}));
    }

    private static SequenceTagger tagger(Backend backend, RecurrentConfig rnn) {
        SequenceTagger tagger = new SequenceTagger(backend, DType.FLOAT64,
                new TaggerConfig(InputSpec.tokens(6, 3), rnn, 3));
        tagger.initialize(17);
        return tagger;
    }

    @Test
    void windowsWithCarriedStateAddUpToTheWholeBatchEvenWithVariableLengths() {
        TaggingBatch batch = longBatch();
        try (Backend backend = TestSupport.backend();
             SequenceTagger tagger = tagger(backend, RecurrentConfig.of(CellType.LSTM, 3, 4))) {
            double whole = tagger.loss(batch) * SoftmaxCrossEntropy.countedRows(batch.tags());
            List<TaggingBatch> windows = batch.splitTime(3);
            assertEquals(3, windows.size());
            assertFalse(windows.get(0).continuesPrevious());
            assertTrue(windows.get(2).continuesPrevious());
            // the short sequence has ended before the last window: it reads padding there, and scores nothing
            assertArrayEquals(new int[] {1, 1}, windows.get(2).input().lengths());
            assertArrayEquals(new int[] {0, -1}, windows.get(2).tags());
            double sum = 0;
            for (TaggingBatch w : windows) {
                sum += tagger.loss(w) * SoftmaxCrossEntropy.countedRows(w.tags());
            }
            TestSupport.assertClose("summed window losses", whole, sum, TestSupport.Tolerance.FLOAT64);
        }
    }

    @Test
    void aBidirectionalTaggerRefusesToContinueThePreviousWindow() {
        List<TaggingBatch> windows = longBatch().splitTime(3);
        try (Backend backend = TestSupport.backend();
             SequenceTagger tagger = tagger(backend, RecurrentConfig.of(CellType.LSTM, 3, 4).withBidirectional(true))) {
            tagger.lossAndGradients(windows.get(0), Trainable.ALL_STEPS); // a window that starts fresh is fine
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tagger.lossAndGradients(windows.get(1), Trainable.ALL_STEPS));
            assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
            tagger.loss(windows.get(0));
            assertThrows(IllegalArgumentException.class, () -> tagger.loss(windows.get(1)));
        }
    }

    @Test
    void evaluatingBetweenTrainingWindowsDoesNotChangeTheStateTrainingCarries() {
        List<TaggingBatch> windows = longBatch().splitTime(3);
        TaggingBatch other = TaggingBatch.of(TokenSequences.pad(List.of(new int[] {5, 5, 5}, new int[] {4, 4})),
                List.of(new int[] {1, 1, 1}, new int[] {0, 0}));
        RecurrentConfig rnn = RecurrentConfig.of(CellType.LSTM, 3, 4);
        try (Backend backend = TestSupport.backend();
             SequenceTagger undisturbed = tagger(backend, rnn);
             SequenceTagger evaluatedBetween = tagger(backend, rnn)) {
            undisturbed.lossAndGradients(windows.get(0), Trainable.ALL_STEPS);
            double expected = undisturbed.lossAndGradients(windows.get(1), Trainable.ALL_STEPS);

            evaluatedBetween.lossAndGradients(windows.get(0), Trainable.ALL_STEPS);
            evaluatedBetween.loss(other); // e.g. a validation batch: evaluation mode must not touch training state
            assertEquals(expected, evaluatedBetween.lossAndGradients(windows.get(1), Trainable.ALL_STEPS));
        }
    }
}
