package dev.unroll.cli.train;

import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<String> options = new ArrayList<>(TINY);
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
        CliRun rest = train("resumed", "--epochs", "3", "--resume");

        for (CliRun run : new CliRun[] {straight, first, rest}) {
            assertEquals(0, run.exitCode(), run.transcript());
        }
        assertTrue(rest.out().contains("Resuming classify") && rest.out().contains("epoch 2 of 3"), rest.transcript());
        // the resumed process ran only the third epoch, and it is the uninterrupted run's third epoch exactly
        assertEquals(1, perEpoch("resumed").size(), rest.transcript());
        assertEquals(perEpoch("straight").get(2), perEpoch("resumed").get(0));
        // and the model, optimizer state and progress it leaves are the same, byte for byte
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight.ckpt")), Files.readAllBytes(dir.resolve("resumed.ckpt")));
    }

    @Test
    void aFinishedRunSaysToAskForMoreEpochs() {
        assertEquals(0, train("done", "--epochs", "1").exitCode());

        CliRun again = train("done", "--epochs", "1", "--resume");

        assertEquals(1, again.exitCode(), again.transcript());
        assertTrue(again.err().contains("has already trained 1 epoch(s); ask for more with --epochs"),
                again.transcript());
    }

    @Test
    void otherDataIsRefusedRatherThanTrainedOnWithTheOldVocabulary() throws IOException {
        assertEquals(0, train("first", "--epochs", "1").exitCode());
        Path other = TestData.write(dir.resolve("other.tsv"), "x\tab\ny\tcd\n");

        CliRun run = train(other, "first", "--epochs", "2", "--resume");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("was trained on --data " + data), run.transcript());
    }
}
