package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.training.data.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time-major layouts the models read, built from per-sequence data. */
class BatchLayoutTest {

    @Test
    void tokenSequencesArePaddedTimeMajor() {
        TokenSequences s = TokenSequences.pad(List.of(new int[] {5, 6, 7}, new int[] {8}));
        assertEquals(3, s.steps());
        assertArrayEquals(new int[] {5, 8, 6, Vocabulary.PAD_ID, 7, Vocabulary.PAD_ID}, s.ids());
        assertArrayEquals(new int[] {3, 1}, s.lengths());
        assertArrayEquals(new int[] {8}, s.sequence(1));
        assertThrows(IllegalArgumentException.class, () -> TokenSequences.pad(List.of(new int[0])));
        assertThrows(IllegalArgumentException.class, () -> TokenSequences.pad(List.of()));
    }

    @Test
    void targetsArePaddedTimeMajorWithTheIgnoredTarget() {
        assertArrayEquals(new int[] {1, 3, 2, -1, -1, -1},
                TimeMajor.targets(List.of(new int[] {1, 2}, new int[] {3}), 3));
        assertTrue(TimeMajor.IGNORED_TARGET < 0, "softmax cross-entropy skips negative targets");
        assertThrows(IllegalArgumentException.class, () -> TimeMajor.targets(List.<int[]>of(new int[] {1, 2}), 1));
    }

    @Test
    void aStreamIsCutIntoContiguousRowsPredictingTheNextToken() {
        LanguageModelBatch b = LanguageModelBatch.fromStream(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2); // T = 3
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, b.input().ids());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, b.targets());
    }

    @Test
    void aStreamNeedsAtLeastOneRow() {
        int[] stream = {0, 1, 2, 3};
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> LanguageModelBatch.fromStream(stream, 0));
        assertEquals("batch must be >= 1, was 0", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> LanguageModelBatch.fromStream(stream, -2));
        assertEquals("batch must be >= 1, was -2", negative.getMessage());
    }

    @Test
    void languageModelSequencesPredictThemselvesShifted() {
        LanguageModelBatch b = LanguageModelBatch.fromSequences(List.of(new int[] {1, 2, 3}, new int[] {4, 5}));
        assertArrayEquals(new int[] {1, 4, 2, Vocabulary.PAD_ID}, b.input().ids());
        assertArrayEquals(new int[] {2, 5, 3, -1}, b.targets());
    }

    @Test
    void teacherForcingFeedsBeginAndPredictsEnd() {
        TranslationBatch b = TranslationBatch.of(List.of(new int[] {9}, new int[] {8, 7}),
                List.of(new int[] {3, 4}, new int[] {5}), 0, 1);
        assertArrayEquals(new int[] {0, 0, 3, 5, 4, Vocabulary.PAD_ID}, b.decoderInput().ids());
        assertArrayEquals(new int[] {3, 5, 4, 1, 1, -1}, b.decoderTargets());
        assertArrayEquals(new int[] {3, 2}, b.decoderInput().lengths());
    }

    @Test
    void taggingBatchesCheckTagCounts() {
        TokenSequences in = TokenSequences.pad(List.of(new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> TaggingBatch.of(in, List.of(new int[] {1})));
        // one tag list per sequence: too few would index past the list, too many would be silently dropped
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> TaggingBatch.of(in, List.of()));
        assertEquals("0 tag lists for 1 sequences", tooFew.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> TaggingBatch.of(in, List.of(new int[] {1, 2}, new int[] {3})));
        assertEquals("2 tag lists for 1 sequences", tooMany.getMessage());
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
