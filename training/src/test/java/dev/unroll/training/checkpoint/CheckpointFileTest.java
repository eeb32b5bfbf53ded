package dev.unroll.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.GruForm;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingProgress;
import dev.unroll.training.loop.TruncatedBptt;
import dev.unroll.training.model.ClassifierConfig;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.LanguageModelConfig;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.Models;
import dev.unroll.training.model.RegressorConfig;
import dev.unroll.training.model.Seq2SeqConfig;
import dev.unroll.training.model.SequenceModel;
import dev.unroll.training.model.TaggerConfig;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.StateDict;
import dev.unroll.training.optim.LearningRateSchedule;
import dev.unroll.training.optim.OptimizerConfig;
import dev.unroll.training.optim.OptimizerState;
import dev.unroll.training.io.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointFileTest {
    @TempDir
    Path dir;

    static List<ModelConfig> everyModelKind() {
        RecurrentConfig lstm = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withDropout(0.25, 99)
                .withLearnedInitialState(true);
        return List.of(
                new ClassifierConfig(InputSpec.tokens(7, 3), lstm.withBidirectional(true), 3),
                new RegressorConfig(InputSpec.features(3), RecurrentConfig.of(CellType.RNN_RELU, 3, 2), 2),
                new TaggerConfig(InputSpec.tokens(5, 3),
                        RecurrentConfig.of(CellType.GRU, 3, 2).withGruForm(GruForm.ORIGINAL).withBias(false), 4),
                new LanguageModelConfig(9, 3, lstm, 1),
                new Seq2SeqConfig(6, 8, 3, RecurrentConfig.of(CellType.GRU, 3, 5), 0, 1));
    }

    @ParameterizedTest
    @MethodSource("everyModelKind")
    void everyModelRoundTripsWithItsConfigAndParameters(ModelConfig config) throws IOException {
        Path file = dir.resolve(config.kind() + ".ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT32, config)) {
            model.initialize(3);
            CheckpointFile.write(file, Checkpoint.ofModel(model, Map.of("vocabulary", "a\tb\u00e9")));
            Checkpoint read = CheckpointFile.read(file);
            assertEquals(config, read.model());
            assertEquals(Map.of("vocabulary", "a\tb\u00e9"), read.extras());
            assertNull(read.optimizer());
            try (SequenceModel restored = read.restoreModel(backend)) {
                assertEquals(StateDict.of(model), StateDict.of(restored));
                assertEquals(model.parameters().stream().map(NamedParameter::name).toList(),
                        restored.parameters().stream().map(NamedParameter::name).toList());
            }
        }
    }

    @Test
    void trainingStateRoundTrips() throws IOException {
        TrainerConfig training = TrainerConfig.of(3, 77, OptimizerConfig.sgd(0.5, 0.9).withWeightDecay(1e-4))
                .withClipper(GradientClipper.perLayer(1.5)).withSchedule(LearningRateSchedule.step(10, 0.5))
                .withTbptt(new TruncatedBptt(8, 4));
        OptimizerState state = new OptimizerState(OptimizerConfig.Kind.SGD, 12,
                Map.of("momentum_buffer/head.bias", new HostTensor(DType.FLOAT32, new int[] {2}, new double[] {1, -2})));
        TrainingProgress progress = new TrainingProgress(1, 4, 9, 11);
        ClassifierConfig config = (ClassifierConfig) everyModelKind().get(0);
        Path file = dir.resolve("t.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT64, config)) {
            CheckpointFile.write(file, new Checkpoint(config, DType.FLOAT64, StateDict.of(model), state, training,
                    progress, Map.of()));
        }
        Checkpoint read = CheckpointFile.read(file);
        assertEquals(training, read.training());
        assertEquals(progress, read.progress());
        assertEquals(state, read.optimizer());
        assertEquals(DType.FLOAT64, read.dtype());
    }

    @Test
    void aCorruptedByteIsDetectedAndTheErrorNamesTheFile() throws IOException {
        Path file = dir.resolve("model.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT32, everyModelKind().get(1))) {
            model.initialize(1);
            CheckpointFile.write(file, Checkpoint.ofModel(model, Map.of()));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(file, bytes);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("SHA-256"), e.getMessage());

        Path other = dir.resolve("notes.txt");
        Files.writeString(other, "not a checkpoint at all, but long enough to have a header");
        e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFile.read(other));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT32, everyModelKind().get(1))) {
            model.initialize(1);
            CheckpointFile.write(file, Checkpoint.ofModel(model, Map.of("n", "1")));
            CheckpointFile.write(file, Checkpoint.ofModel(model, Map.of("n", "2")));
        }
        assertEquals("2", CheckpointFile.read(file).extras().get("n"));
        try (var files = Files.list(dir)) {
            assertArrayEquals(new Path[] {file}, files.toArray(Path[]::new));
        }
    }

    /** Many keys, so that an order that is not the documented one cannot match it by chance. */
    private static Map<String, String> extrasInsertedIn(boolean ascending) {
        Map<String, String> extras = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            int k = ascending ? i : 15 - i;
            extras.put("key" + (char) ('a' + k), "value " + k);
        }
        return extras;
    }

    private static OptimizerState slotsInsertedIn(boolean ascending, List<String> parameterNames) {
        List<String> names = new ArrayList<>(parameterNames);
        if (!ascending) {
            Collections.reverse(names);
        }
        Map<String, HostTensor> slots = new LinkedHashMap<>();
        for (String name : names) {
            slots.put("exp_avg/" + name, new HostTensor(DType.FLOAT32, new int[] {1}, new double[] {name.length()}));
        }
        return new OptimizerState(OptimizerConfig.Kind.ADAM, 3, slots);
    }

    @Test
    void theSameStateGivesTheSameBytesWithEntriesInTheDocumentedOrder() throws IOException {
        ModelConfig config = everyModelKind().get(3); // a two-layer LSTM language model: many parameters
        TrainerConfig training = TrainerConfig.of(2, 5, OptimizerConfig.adam(0.01));
        TrainingProgress progress = new TrainingProgress(1, 2, 3, 4);
        Path first = dir.resolve("first.ckpt");
        Path second = dir.resolve("second.ckpt");
        List<String> parameterNames;
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT32, config)) {
            model.initialize(9);
            parameterNames = model.parameters().stream().map(NamedParameter::name).toList();
            Checkpoint ascending = new Checkpoint(config, DType.FLOAT32, StateDict.of(model),
                    slotsInsertedIn(true, parameterNames), training, progress, extrasInsertedIn(true));
            Checkpoint descending = new Checkpoint(config, DType.FLOAT32, StateDict.of(model),
                    slotsInsertedIn(false, parameterNames), training, progress, extrasInsertedIn(false));
            // documented: parameters in the model's order, optimizer slots and extras sorted by name
            assertEquals(parameterNames, new ArrayList<>(ascending.parameters().keySet()));
            assertEquals(new ArrayList<>(new TreeMap<>(extrasInsertedIn(true)).keySet()),
                    new ArrayList<>(descending.extras().keySet()));
            assertEquals(new ArrayList<>(new TreeMap<>(slotsInsertedIn(true, parameterNames).slots()).keySet()),
                    new ArrayList<>(descending.optimizer().slots().keySet()));
            CheckpointFile.write(first, ascending);
            CheckpointFile.write(second, descending);
        }
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        Checkpoint read = CheckpointFile.read(first);
        assertEquals(parameterNames, new ArrayList<>(read.parameters().keySet()), "the file's tensor order");
    }

    @Test
    void missingExtrasAreRejectedByName() {
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT32, everyModelKind().get(1))) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> Checkpoint.ofModel(model, null));
            assertTrue(e.getMessage().contains("extras"), e.getMessage());
        }
    }
}
