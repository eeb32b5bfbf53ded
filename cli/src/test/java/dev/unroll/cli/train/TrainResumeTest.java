package dev.unroll.cli.train;

import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import dev.unroll.cli.task.CheckpointKeys;
import dev.unroll.training.checkpoint.Checkpoint;
import dev.unroll.training.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train writes its checkpoint after every epoch so that an interrupted run is not lost, but the command had no
 * way to continue from it: running train again started over and overwrote it. --resume continues the run, and
 * the training library's promise (a resumed run continues bit for bit) has to hold through the command line
 * too: the vocabularies, held-out part, seed and batches must be those of the first run.
 */
class TrainResumeTest {
    /** A tiny classifier; no --epochs, each test gives its own. */
    private static final List<String> TINY = List.of("--backend", "ejml", "--hidden", "8", "--embed", "4",
            "--batch", "8", "--task", "classify");
    /** A resumed run's options: the model, data and training settings come from the checkpoint. */
    private static final List<String> RESUME = List.of("--backend", "ejml", "--resume");

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void writeData() throws IOException {
        data = TestData.classification(dir);
    }

    private CliRun train(String name, String... more) {
        return train(data, name, more);
    }

    private CliRun train(Path trainingData, String name, String... more) {
        return run(TINY, trainingData, name, more);
    }

    private CliRun resume(String name, String... more) {
        return resume(data, name, more);
    }

    private CliRun resume(Path trainingData, String name, String... more) {
        return run(RESUME, trainingData, name, more);
    }

    private CliRun run(List<String> base, Path trainingData, String name, String... more) {
        List<String> options = new ArrayList<>(base);
        options.addAll(List.of("--data", trainingData.toString(), "--out", dir.resolve(name + ".ckpt").toString(),
                "--json", dir.resolve(name + ".json").toString()));
        return CliRun.of(args("train", options, more));
    }

    private JsonArray perEpoch(String name) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve(name + ".json"))).getAsJsonObject()
                .getAsJsonArray("perEpoch");
    }

    @Test
    void twoEpochsThenOneMoreEndWhereThreeStraightDo() throws IOException {
        CliRun straight = train("straight", "--epochs", "3");
        CliRun first = train("resumed", "--epochs", "2");
        CliRun rest = resume("resumed", "--epochs", "3"); // no --task: the checkpoint says which

        for (CliRun run : new CliRun[] {straight, first, rest}) {
            assertEquals(0, run.exitCode(), run.transcript());
        }
        assertTrue(rest.out().contains("Resuming classify") && rest.out().contains("epoch 2 of 3"), rest.transcript());
        // the resumed process ran only the third epoch, and it is the uninterrupted run's third epoch exactly
        assertEquals(1, perEpoch("resumed").size(), rest.transcript());
        assertEquals(perEpoch("straight").get(2), perEpoch("resumed").get(0));
        // and the model, optimizer state and progress it leaves are the same, byte for byte
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight.ckpt")),
                Files.readAllBytes(dir.resolve("resumed.ckpt")));
    }

    @Test
    void aFinishedRunSaysToAskForMoreEpochs() {
        assertEquals(0, train("done", "--epochs", "1").exitCode());

        CliRun again = resume("done", "--epochs", "1");

        assertEquals(1, again.exitCode(), again.transcript());
        assertTrue(again.err().contains("has already trained 1 epoch(s); ask for more with --epochs"),
                again.transcript());
    }

    @Test
    void otherDataIsRefusedRatherThanTrainedOnWithTheOldVocabulary() throws IOException {
        assertEquals(0, train("first", "--epochs", "1").exitCode());
        Path other = TestData.write(dir.resolve("other.tsv"), "x\tab\ny\tcd\n");

        CliRun run = resume(other, "first", "--epochs", "2");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("was trained on --data " + data), run.transcript());
    }

    @Test
    void optionsTheCheckpointSettlesAreRefusedByNameRatherThanIgnored() throws IOException {
        assertEquals(0, train("first", "--epochs", "1").exitCode());
        byte[] before = Files.readAllBytes(dir.resolve("first.ckpt"));

        CliRun run = resume("first", "--epochs", "2", "--hidden", "8", "--lr", "0.1");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("does not take --lr, --hidden; drop them"), run.transcript());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("first.ckpt")));
    }

    @Test
    void aTaskGivenOnResumeMustBeTheCheckpointsOwn() {
        assertEquals(0, train("first", "--epochs", "1").exitCode());

        CliRun other = resume("first", "--epochs", "2", "--task", "tag");
        CliRun same = resume("first", "--epochs", "2", "--task", "classify");

        assertEquals(1, other.exitCode(), other.transcript());
        assertTrue(other.err().contains("holds a classify model, not tag"), other.transcript());
        assertEquals(0, same.exitCode(), same.transcript());
    }

    @Test
    void anOlderCheckpointWithoutTheDataSettingsResumesWithTheDefaultsAndSaysSo() throws IOException {
        assertEquals(0, train("older", "--epochs", "1").exitCode());
        Path file = dir.resolve("older.ckpt");
        Checkpoint saved = CheckpointFile.read(file);
        Map<String, String> olderExtras = new TreeMap<>(saved.extras());
        olderExtras.remove(CheckpointKeys.VALIDATION);
        olderExtras.remove(CheckpointKeys.BATCH);
        CheckpointFile.write(file, new Checkpoint(saved.model(), saved.dtype(), saved.parameters(), saved.optimizer(),
                saved.training(), saved.progress(), olderExtras));

        CliRun run = resume("older", "--epochs", "2");

        assertEquals(0, run.exitCode(), run.transcript());
        List<String> warnings = run.err().lines().filter(line -> line.startsWith("unroll: warning:")).toList();
        assertEquals(1, warnings.size(), run.transcript());
        assertTrue(warnings.get(0).contains("does not record --validation (default 0.1), --batch (default 32)"),
                run.transcript());
    }
}
