package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.loop.BatchSource;
import dev.unroll.training.loop.Trainer;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.nn.SeededRandom;
import dev.unroll.training.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An encoder-decoder trained with teacher forcing learns to reverse short sequences. */
class Seq2SeqLearningTest {
    private static final int BEGIN = 0;
    private static final int END = 1;

    private static int[] reversed(int[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[s.length - 1 - i];
        }
        return r;
    }

    @Test
    void learnsToReverseAndDecodesGreedilyAndByBeam() {
        SeededRandom random = new SeededRandom(4);
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            int[] s = new int[1 + random.nextInt(3)];
            for (int t = 0; t < s.length; t++) {
                s[t] = 2 + random.nextInt(3); // tokens 2..4; 0 and 1 are begin and end
            }
            sources.add(s);
        }
        BatchSource<TranslationBatch> data = BatchSource.fromExamples(sources, 8,
                group -> TranslationBatch.of(group, group.stream().map(Seq2SeqLearningTest::reversed).toList(),
                        BEGIN, END));
        try (Backend backend = TestSupport.backend();
             Seq2Seq model = new Seq2Seq(backend, DType.FLOAT32,
                     new Seq2SeqConfig(5, 5, 8, RecurrentConfig.of(CellType.GRU, 8, 24), BEGIN, END))) {
            model.initialize(1);
            try (Trainer<TranslationBatch> trainer = new Trainer<>(model, data,
                    TrainerConfig.of(40, 3, OptimizerConfig.adam(0.02)))) {
                trainer.train();
            }
            int greedy = 0;
            int beam = 0;
            for (int[] s : sources) {
                greedy += Arrays.equals(reversed(s), model.translateGreedy(s, 6)) ? 1 : 0;
                beam += Arrays.equals(reversed(s), model.translateBeam(s, 3, 6).tokens()) ? 1 : 0;
            }
            assertTrue(greedy >= 0.9 * sources.size(), greedy + " of " + sources.size() + " reversed by greedy");
            assertTrue(beam >= 0.9 * sources.size(), beam + " of " + sources.size() + " reversed by beam search");
        }
    }
}
