package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.loss.SoftmaxCrossEntropy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tagger read in time windows with the carried state sees what it sees reading the whole sequences. */
class StatefulTaggingTest {

    @Test
    void windowsWithCarriedStateAddUpToTheWholeBatchEvenWithVariableLengths() {
        TokenSequences in = TokenSequences.pad(List.of(new int[] {1, 2, 3, 4, 5, 1, 2}, new int[] {3, 1, 4}));
        TaggingBatch batch = TaggingBatch.of(in, List.of(new int[] {0, 1, 2, 0, 1, 2, 0}, new int[] {2, 2, 1}));
        try (Backend backend = TestSupport.backend();
             SequenceTagger tagger = new SequenceTagger(backend, DType.FLOAT64,
                     new TaggerConfig(InputSpec.tokens(6, 3), RecurrentConfig.of(CellType.LSTM, 3, 4), 3))) {
            tagger.initialize(17);
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
}
