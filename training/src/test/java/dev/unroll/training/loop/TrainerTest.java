package dev.unroll.training.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.checkpoint.Checkpoint;
import dev.unroll.training.checkpoint.CheckpointFile;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.model.ClassificationBatch;
import dev.unroll.training.model.ClassifierConfig;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.LanguageModel;
import dev.unroll.training.model.LanguageModelBatch;
import dev.unroll.training.model.LanguageModelConfig;
import dev.unroll.training.model.SequenceClassifier;
import dev.unroll.training.model.TokenSequences;
import dev.unroll.training.model.Trainable;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.SeededRandom;
import dev.unroll.training.optim.LearningRateSchedule;
import dev.unroll.training.optim.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: determinism, exact resumption, non-finite stops, and truncated BPTT. */
class TrainerTest {
    private static final int BATCHES = 6;

    @TempDir
    Path dir;

    /** A classifier with dropout between its two layers, so resumption must also restore the dropout masks. */
    private static SequenceClassifier classifier(Backend backend) {
        RecurrentConfig rnn = RecurrentConfig.of(CellType.GRU, 4, 5).withLayers(2).withDropout(0.3, 17);
        SequenceClassifier model = new SequenceClassifier(backend, DType.FLOAT32,
                new ClassifierConfig(InputSpec.tokens(6, 4), rnn, 3));
        model.initialize(42);
        return model;
    }

    /** Variable-length token sequences whose class is their first token mod 3. */
    private static List<ClassificationBatch> classificationData() {
        SeededRandom random = new SeededRandom(5);
        List<ClassificationBatch> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<int[]> seqs = new ArrayList<>();
            int[] labels = new int[4];
            for (int i = 0; i < 4; i++) {
                int[] s = TestSupport.randomIds(random, 2 + random.nextInt(5), 6);
                seqs.add(s);
                labels[i] = s[0] % 3;
            }
            batches.add(new ClassificationBatch(TokenSequences.pad(seqs), labels));
        }
        return batches;
    }

    private static TrainerConfig config(long seed) {
        return TrainerConfig.of(2, seed, OptimizerConfig.adam(0.01))
                .withClipper(GradientClipper.globalNorm(0.5))
                .withSchedule(LearningRateSchedule.cosine(2 * BATCHES, 0.001));
    }

    private static <B> List<Double> lossesOf(Trainer<B> trainer, long maxBatches) {
        List<Double> losses = new ArrayList<>();
        trainer.addListener(TrainingListener.onEachStep(report -> losses.add(report.loss())));
        trainer.train(maxBatches);
        return losses;
    }

    private static List<Double> straightRun(long seed) {
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = classifier(backend);
             Trainer<ClassificationBatch> trainer = new Trainer<>(model, BatchSource.of(classificationData()),
                     config(seed))) {
            return lossesOf(trainer, Long.MAX_VALUE);
        }
    }

    @Test
    void theSameSeedGivesBitwiseIdenticalLosses() {
        List<Double> first = straightRun(1);
        assertEquals(2 * BATCHES, first.size());
        assertEquals(first, straightRun(1));
        assertNotEquals(first, straightRun(2), "another seed shuffles the batches differently");
    }

    @Test
    void resumingFromACheckpointContinuesWithTheUninterruptedLosses() throws IOException {
        List<Double> straight = straightRun(1);
        Path file = dir.resolve("run.ckpt");
        List<Double> resumed = new ArrayList<>();
        int firstPart = BATCHES + BATCHES / 2; // stop in the middle of the second epoch
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = classifier(backend);
             Trainer<ClassificationBatch> trainer = new Trainer<>(model, BatchSource.of(classificationData()),
                     config(1))) {
            resumed.addAll(lossesOf(trainer, firstPart));
            trainer.saveCheckpoint(file, Map.of("vocabulary", "[\"a\",\"b\"]"));
        }
        // a fresh backend and fresh objects, as a new process would have
        Checkpoint checkpoint = CheckpointFile.read(file);
        assertEquals("[\"a\",\"b\"]", checkpoint.extras().get("vocabulary"));
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = (SequenceClassifier) checkpoint.restoreModel(backend);
             Trainer<ClassificationBatch> trainer = Trainer.resume(model, BatchSource.of(classificationData()),
                     checkpoint)) {
            resumed.addAll(lossesOf(trainer, Long.MAX_VALUE));
        }
        assertEquals(straight, resumed);
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path file = dir.resolve("good.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = classifier(backend);
             Trainer<ClassificationBatch> trainer = new Trainer<>(model, BatchSource.of(classificationData()),
                     config(1))) {
            trainer.checkpointTo(file, 2, Map.of());
            trainer.addListener(TrainingListener.onEachStep(report -> {
                if (report.step() == 3) { // poison a weight after the checkpoint of batch 2
                    NamedParameter w = model.parameter("head.weight");
                    backend.fill(w.value(), Double.NaN);
                }
            }));
            NonFiniteTrainingException e = assertThrows(NonFiniteTrainingException.class, trainer::train);
            assertTrue(e.getMessage().contains("loss is NaN"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        Checkpoint kept = CheckpointFile.read(file);
        assertEquals(2, kept.progress().batchesDone());
        for (var t : kept.parameters().values()) {
            for (double v : t.values()) {
                assertTrue(Double.isFinite(v));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void aNonFiniteStopAfterAResumeSaysTheResumedFromCheckpointIsUnchanged() throws IOException {
        Path file = dir.resolve("resumed.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = classifier(backend);
             Trainer<ClassificationBatch> trainer = new Trainer<>(model, BatchSource.of(classificationData()),
                     config(1))) {
            trainer.train(2);
            trainer.saveCheckpoint(file, Map.of());
        }
        Checkpoint checkpoint = CheckpointFile.read(file);
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = (SequenceClassifier) checkpoint.restoreModel(backend);
             Trainer<ClassificationBatch> trainer = Trainer.resume(model, BatchSource.of(classificationData()),
                     checkpoint)) {
            backend.fill(model.parameter("head.weight").value(), Double.NaN);
            NonFiniteTrainingException e = assertThrows(NonFiniteTrainingException.class, trainer::train);
            assertFalse(e.getMessage().contains("No checkpoint was written before"), e.getMessage());
            assertTrue(e.getMessage().contains("resumed from (epoch 0, batch 2) is unchanged"), e.getMessage());
        }
    }

    @Test
    void missingCheckpointExtrasAreRejectedByNameWhenConfigured() {
        try (Backend backend = TestSupport.backend();
             SequenceClassifier model = classifier(backend);
             Trainer<ClassificationBatch> trainer = new Trainer<>(model, BatchSource.of(classificationData()),
                     config(1))) {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> trainer.checkpointTo(dir.resolve("x.ckpt"), 0, null));
            assertTrue(e.getMessage().contains("extras"), e.getMessage());
        }
    }

    private static LanguageModel languageModel(Backend backend, DType dtype) {
        LanguageModel model = new LanguageModel(backend, dtype,
                new LanguageModelConfig(5, 3, RecurrentConfig.of(CellType.LSTM, 3, 4), -1));
        model.initialize(8);
        return model;
    }

    @Test
    void truncatedBpttTrainsOneStepPerWindowAndCarriesTheState() {
        int[] stream = TestSupport.randomIds(new SeededRandom(2), 2 * 10 + 1, 5);
        LanguageModelBatch batch = LanguageModelBatch.fromStream(stream, 2); // [T=10, B=2]
        try (Backend backend = TestSupport.backend();
             LanguageModel model = languageModel(backend, DType.FLOAT64)) {
            // evaluated window by window with the carried state, the loss is the whole sequence's loss
            double whole = model.loss(batch);
            double sum = 0;
            List<LanguageModelBatch> windows = batch.splitTime(4);
            assertEquals(3, windows.size());
            assertFalse(windows.get(0).continuesPrevious());
            for (LanguageModelBatch w : windows) {
                sum += model.loss(w) * w.input().steps() * w.input().batch();
            }
            TestSupport.assertClose("windowed loss", whole, sum / (10 * 2), TestSupport.Tolerance.FLOAT64);
            // without the carried state the later windows would differ
            LanguageModelBatch fresh = new LanguageModelBatch(windows.get(1).input(), windows.get(1).targets(), false);
            model.loss(windows.get(0));
            assertNotEquals(model.loss(windows.get(1)), model.loss(fresh));

            TrainerConfig config = TrainerConfig.of(1, 0, OptimizerConfig.sgd(0.1, 0))
                    .withTbptt(TruncatedBptt.of(4));
            try (Trainer<LanguageModelBatch> trainer = new Trainer<>(model, BatchSource.of(List.of(batch)), config)) {
                assertEquals(3, lossesOf(trainer, Long.MAX_VALUE).size(), "one optimizer step per window");
            }
        }
    }

    @Test
    void truncatedBackwardReachesOnlyTheLastSteps() {
        // token 4 appears only at step 0: its embedding row gets gradient from full BPTT, none when k2 = 1
        LanguageModelBatch batch = LanguageModelBatch.fromSequences(List.of(new int[] {4, 1, 2, 3}));
        try (Backend backend = TestSupport.backend();
             LanguageModel model = languageModel(backend, DType.FLOAT64)) {
            model.zeroGrad();
            model.lossAndGradients(batch, Trainable.ALL_STEPS);
            assertNotEquals(0.0, embeddingRowNorm(model, 4));
            model.zeroGrad();
            model.lossAndGradients(batch, 1);
            assertEquals(0.0, embeddingRowNorm(model, 4));
            assertNotEquals(0.0, embeddingRowNorm(model, 2), "the last step's input still gets a gradient");
        }
    }

    private static double embeddingRowNorm(LanguageModel model, int row) {
        double[] g = model.parameter("embedding.weight").grad().toDoubleArray();
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            sum += g[row * 3 + j] * g[row * 3 + j];
        }
        return sum;
    }

    @Test
    void aLanguageModelLearnsACycleAndGeneratesIt() {
        int[] cycle = new int[41];
        for (int i = 0; i < cycle.length; i++) {
            cycle[i] = i % 4;
        }
        LanguageModelBatch batch = LanguageModelBatch.fromStream(cycle, 2);
        try (Backend backend = TestSupport.backend();
             LanguageModel model = languageModel(backend, DType.FLOAT32)) {
            TrainerConfig config = TrainerConfig.of(60, 0, OptimizerConfig.adam(0.05)).withTbptt(TruncatedBptt.of(5));
            try (Trainer<LanguageModelBatch> trainer = new Trainer<>(model, BatchSource.of(List.of(batch)), config)) {
                List<Double> losses = lossesOf(trainer, Long.MAX_VALUE);
                assertTrue(losses.get(losses.size() - 1) < 0.05, "final loss " + losses.get(losses.size() - 1));
            }
            int[] generated = model.sample(new int[] {2}, 6, dev.unroll.training.model.Sampling.greedy(), -1);
            assertArrayEquals(new int[] {3, 0, 1, 2, 3, 0}, generated);
        }
    }
}
