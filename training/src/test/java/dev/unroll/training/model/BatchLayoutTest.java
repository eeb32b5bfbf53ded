package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The time-major layouts the models read, built from per-sequence data. */
class BatchLayoutTest {

    @Test
    void tokenSequencesArePaddedTimeMajor() {
        TokenSequences s = TokenSequences.pad(List.of(new int[] {5, 6, 7}, new int[] {8}));
        assertEquals(3, s.steps());
        assertArrayEquals(new int[] {5, 8, 6, TokenSequences.PAD_ID, 7, TokenSequences.PAD_ID}, s.ids());
        assertArrayEquals(new int[] {3, 1}, s.lengths());
        assertArrayEquals(new int[] {8}, s.sequence(1));
        assertThrows(IllegalArgumentException.class, () -> TokenSequences.pad(List.of(new int[0])));
    }

    @Test
    void aStreamIsCutIntoContiguousRowsPredictingTheNextToken() {
        LanguageModelBatch b = LanguageModelBatch.fromStream(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2); // T = 3
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, b.input().ids());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, b.targets());
    }

    @Test
    void languageModelSequencesPredictThemselvesShifted() {
        LanguageModelBatch b = LanguageModelBatch.fromSequences(List.of(new int[] {1, 2, 3}, new int[] {4, 5}));
        assertArrayEquals(new int[] {1, 4, 2, TokenSequences.PAD_ID}, b.input().ids());
        assertArrayEquals(new int[] {2, 5, 3, -1}, b.targets());
    }

    @Test
    void teacherForcingFeedsBeginAndPredictsEnd() {
        TranslationBatch b = TranslationBatch.of(List.of(new int[] {9}, new int[] {8, 7}),
                List.of(new int[] {3, 4}, new int[] {5}), 0, 1);
        assertArrayEquals(new int[] {0, 0, 3, 5, 4, TokenSequences.PAD_ID}, b.decoderInput().ids());
        assertArrayEquals(new int[] {3, 5, 4, 1, 1, -1}, b.decoderTargets());
        assertArrayEquals(new int[] {3, 2}, b.decoderInput().lengths());
    }

    @Test
    void taggingBatchesCheckTagCounts() {
        TokenSequences in = TokenSequences.pad(List.of(new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> TaggingBatch.of(in, List.of(new int[] {1})));
    }

    @Test
    void featureWindowsKeepTheirFeatures() {
        float[] v = new float[3 * 1 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        FeatureSequences f = FeatureSequences.ofEqualLength(v, 3, 1, 2);
        FeatureSequences w = f.sliceTime(1, 2);
        assertArrayEquals(new float[] {2, 3, 4, 5}, w.values());
        assertArrayEquals(new int[] {2}, w.lengths());
    }
}
