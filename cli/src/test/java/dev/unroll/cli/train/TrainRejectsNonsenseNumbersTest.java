package dev.unroll.cli.train;

import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every numeric option of train that is out of range fails before training, with a message that names that
 * option and the value given: one message listing all six conditions left the user to find which one was
 * wrong, and `clip < 0` let --clip NaN through, since every comparison with NaN is false.
 */
class TrainRejectsNonsenseNumbersTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "--epochs, -1",
            "--batch, 0",
            "--lr, NaN",
            "--lr, Infinity",
            "--clip, NaN",
            "--clip, -1",
            "--tbptt, -2",
            "--validation, 1",
    })
    void namesTheOptionAndItsValue(String option, String value) throws IOException {
        Path checkpoint = dir.resolve("model.ckpt");

        // TINY without the options under test (picocli refuses an option given twice)
        CliRun run = CliRun.of(args("train", List.of("--backend", "ejml", "--hidden", "8", "--embed", "4"),
                "--task", "classify", "--data", TestData.classification(dir).toString(),
                "--out", checkpoint.toString(), option, value));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("unroll: error: " + option + " must be "), run.transcript());
        assertTrue(run.err().contains("was " + value), run.transcript());
        assertFalse(run.out().contains("Training"), "fails before training starts:\n" + run.transcript());
        assertFalse(Files.exists(checkpoint), run.transcript());
    }
}
