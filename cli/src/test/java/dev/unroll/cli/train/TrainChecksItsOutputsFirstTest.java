package dev.unroll.cli.train;

import static dev.unroll.cli.TestData.TINY;
import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint, chart or --json path that cannot be written fails before any training, with the reason. Left
 * to the writes themselves, a bad --out failed only after the first epoch as "Cannot write checkpoint X" (no
 * reason), and a bad --json only after the whole run.
 */
class TrainChecksItsOutputsFirstTest {
    @TempDir
    Path dir;

    /** Trains with {@code option} set to {@code bad}, and a good --out when the option under test is --json. */
    private CliRun train(Path data, String option, String bad) {
        List<String> options = new ArrayList<>(TINY);
        options.addAll(List.of("--task", "classify", "--data", data.toString()));
        if (!option.equals("--out")) {
            options.addAll(List.of("--out", dir.resolve("model.ckpt").toString()));
        }
        return CliRun.of(args("train", options, option, bad));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--out", "--json"})
    void aPathInsideAFileFailsBeforeTrainingAndSaysWhy(String option) throws IOException {
        Path data = TestData.classification(dir);
        Path insideAFile = data.resolve("out.file"); // data is a regular file, so this cannot be created

        CliRun run = train(data, option, insideAFile.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertFalse(run.out().contains("Training"), "fails before training starts:\n" + run.transcript());
        assertTrue(run.err().contains("cannot write") && run.err().contains(insideAFile.toString()), run.transcript());
        assertTrue(run.err().contains(data + " is a file, not a directory"), run.transcript());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--out", "--json"})
    void aDirectoryFailsBeforeTrainingAndSaysAFileIsExpected(String option) throws IOException {
        Path data = TestData.classification(dir);

        CliRun run = train(data, option, dir.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertFalse(run.out().contains("Training"), run.transcript());
        assertTrue(run.err().contains("it is a directory; expected a file path"), run.transcript());
    }
}
