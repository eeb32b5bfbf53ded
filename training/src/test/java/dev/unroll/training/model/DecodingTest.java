package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.nn.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sampling from a language model, and greedy and beam-search decoding of a seq2seq model. */
class DecodingTest extends FreshBackendPerTest {
    private static final int BEGIN = 0;
    private static final int END = 1;
    /**
     * A beam width that never cuts a candidate for {@link #seq2seq}'s 4 target tokens and 3 tokens at most: the
     * widest step is the third, where the 3 x 3 = 9 live prefixes of two non-end tokens each extend by any of the 4
     * tokens, 36 candidates (the fourth step extends the 27 full prefixes by the end token only).
     */
    private static final int EXHAUSTIVE_WIDTH = 36;

    private LanguageModel languageModel() {
        LanguageModel lm = new LanguageModel(backend, DType.FLOAT32,
                new LanguageModelConfig(6, 3, RecurrentConfig.of(CellType.GRU, 3, 4), BEGIN));
        lm.initialize(4);
        return lm;
    }

    @Test
    void samplingIsSeededAndStartsFromNothingOrAPrompt() {
        try (LanguageModel lm = languageModel()) {
            Sampling sampling = new Sampling(1.5, 0, 11);
            int[] a = lm.sample(new int[0], 20, sampling, -1);
            assertEquals(20, a.length);
            assertArrayEquals(a, lm.sample(new int[0], 20, sampling, -1), "same seed, same sample");
            assertNotEquals(Arrays.toString(a), Arrays.toString(lm.sample(new int[0], 20, new Sampling(1.5, 0, 12), -1)));
            int[] prompted = lm.sample(new int[] {2, 3}, 5, sampling, -1);
            assertEquals(5, prompted.length);
        }
    }

    @Test
    void generationStopsAtTheStopToken() {
        try (LanguageModel lm = languageModel()) {
            int[] s = lm.sample(new int[0], 200, new Sampling(3.0, 0, 1), 5);
            assertTrue(s.length < 200 && s[s.length - 1] == 5, Arrays.toString(s));
        }
    }

    @Test
    void topKOneIsGreedyAndTopKLimitsTheChoices() {
        double[] logits = {0.1, 2.0, -1.0, 1.5};
        SeededRandom random = new SeededRandom(0);
        for (int i = 0; i < 200; i++) {
            assertEquals(1, new Sampling(1.0, 1, 0).draw(logits, random));
            int token = new Sampling(5.0, 2, 0).draw(logits, random);
            assertTrue(token == 1 || token == 3, "token " + token + " outside the top 2");
        }
        assertEquals(1, Sampling.greedy().draw(logits, random));
    }

    @Test
    void aLanguageModelWithoutABeginTokenNeedsAPrompt() {
        try (LanguageModel lm = new LanguageModel(backend, DType.FLOAT32,
                new LanguageModelConfig(4, 2, RecurrentConfig.of(CellType.RNN_TANH, 2, 2), -1))) {
            assertThrows(IllegalArgumentException.class, () -> lm.sample(new int[0], 3, Sampling.greedy(), -1));
        }
    }

    @Test
    void aNegativeTokenCountIsRejectedByName() {
        try (LanguageModel lm = languageModel()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> lm.sample(new int[] {2}, -1, Sampling.greedy(), -1));
            assertEquals("maxTokens must be >= 0, was -1", e.getMessage());
            assertEquals(0, lm.sample(new int[] {2}, 0, Sampling.greedy(), -1).length);
        }
    }

    @Test
    void anEmptySourceIsRejectedInTheCallersTerms() {
        try (Seq2Seq model = seq2seq(DType.FLOAT32)) {
            IllegalArgumentException beam = assertThrows(IllegalArgumentException.class,
                    () -> model.translateBeam(new int[0], 2, 5));
            assertTrue(beam.getMessage().contains("empty source"), beam.getMessage());
            IllegalArgumentException greedy = assertThrows(IllegalArgumentException.class,
                    () -> model.translateGreedy(new int[0], 5));
            assertTrue(greedy.getMessage().contains("empty source"), greedy.getMessage());
        }
    }

    private Seq2Seq seq2seq(DType dtype) {
        Seq2Seq model = new Seq2Seq(backend, dtype,
                new Seq2SeqConfig(5, 4, 3, RecurrentConfig.of(CellType.LSTM, 3, 4), BEGIN, END));
        model.initialize(21);
        return model;
    }

    @Test
    void beamWidthOneIsGreedyDecoding() {
        try (Seq2Seq model = seq2seq(DType.FLOAT64)) {
            int[] source = {2, 4, 3};
            int[] greedy = model.translateGreedy(source, 6);
            // greedy by hand: the most likely next token given the tokens so far
            List<Integer> byHand = new ArrayList<>();
            for (int step = 0; step < 6; step++) {
                int best = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int token = 0; token < 4; token++) {
                    double score = prefixLogProbability(model, source, byHand, token);
                    if (score > bestScore) {
                        bestScore = score;
                        best = token;
                    }
                }
                if (best == END) {
                    break;
                }
                byHand.add(best);
            }
            assertArrayEquals(byHand.stream().mapToInt(Integer::intValue).toArray(), greedy);
        }
    }

    /** log p(prefix, next | source) by teacher forcing: the tagger-like loss over the prefix and one more. */
    private static double prefixLogProbability(Seq2Seq model, int[] source, List<Integer> prefix, int next) {
        int[] target = new int[prefix.size() + 1];
        for (int i = 0; i < prefix.size(); i++) {
            target[i] = prefix.get(i);
        }
        target[prefix.size()] = next;
        // the batch's targets end with END; drop it by masking through a custom batch
        TranslationBatch full = TranslationBatch.of(List.of(source), List.of(target), BEGIN, END);
        int[] targets = full.decoderTargets().clone();
        targets[targets.length - 1] = -1; // do not score the end token after `next`
        TranslationBatch batch = new TranslationBatch(full.source(), full.decoderInput(), targets);
        return -model.loss(batch) * target.length;
    }

    @Test
    void aWideEnoughBeamIsExhaustiveSearch() {
        try (Seq2Seq model = seq2seq(DType.FLOAT64)) {
            int[] source = {3, 3, 1};
            int maxLength = 3;
            // every sequence of up to 3 tokens over the tokens other than END (BEGIN may be emitted too)
            double best = Double.NEGATIVE_INFINITY;
            int[] bestTokens = null;
            for (int[] candidate : allSequences(new int[] {0, 2, 3}, maxLength)) {
                double score = model.logProbability(source, candidate);
                if (score > best) {
                    best = score;
                    bestTokens = candidate;
                }
            }
            Seq2Seq.Hypothesis beam = model.translateBeam(source, EXHAUSTIVE_WIDTH, maxLength);
            assertArrayEquals(bestTokens, beam.tokens());
            TestSupport.assertClose("beam score", best, beam.logProbability(), Tolerance.FLOAT64);
            Seq2Seq.Hypothesis narrow = model.translateBeam(source, 2, maxLength);
            assertTrue(narrow.logProbability() <= beam.logProbability());
            TestSupport.assertClose("narrow beam's score is its sequence's log-probability",
                    model.logProbability(source, narrow.tokens()), narrow.logProbability(), Tolerance.FLOAT64);
        }
    }

    @Test
    void aWideEnoughBeamFindsTheBestLengthNormalisedTranslation() {
        try (Seq2Seq model = seq2seq(DType.FLOAT64)) {
            int[] source = {3, 3, 1};
            int maxLength = 3;
            double alpha = 1.0;
            double best = Double.NEGATIVE_INFINITY;
            double mostLikely = Double.NEGATIVE_INFINITY;
            int[] bestTokens = null;
            for (int[] candidate : allSequences(new int[] {0, 2, 3}, maxLength)) {
                double logProbability = model.logProbability(source, candidate);
                mostLikely = Math.max(mostLikely, logProbability);
                double score = logProbability / Math.pow(candidate.length + 1, alpha); // + 1: the end token
                if (score > best) {
                    best = score;
                    bestTokens = candidate;
                }
            }
            Seq2Seq.Hypothesis beam = model.translateBeam(source, EXHAUSTIVE_WIDTH, maxLength, alpha);
            assertArrayEquals(bestTokens, beam.tokens());
            TestSupport.assertClose("the winner's log-probability, unnormalised",
                    model.logProbability(source, bestTokens), beam.logProbability(), Tolerance.FLOAT64);
            // the check can fail: here the normalised winner is not the most likely translation
            assertTrue(beam.logProbability() < mostLikely, "normalisation changed nothing on this model");
            assertThrows(IllegalArgumentException.class, () -> model.translateBeam(source, 2, maxLength, -1));
        }
    }

    private static List<int[]> allSequences(int[] alphabet, int maxLength) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        List<int[]> frontier = List.of(new int[0]);
        for (int len = 1; len <= maxLength; len++) {
            List<int[]> next = new ArrayList<>();
            for (int[] prefix : frontier) {
                for (int a : alphabet) {
                    int[] s = Arrays.copyOf(prefix, len);
                    s[len - 1] = a;
                    next.add(s);
                }
            }
            out.addAll(next);
            frontier = next;
        }
        return out;
    }
}
