package dev.unroll.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo trains for minutes and then writes its chart and results.json into --out. An --out that is a file
 * used to fail only after all that training, as "cannot write X/adding-problem.png: X"; it has to fail before
 * the first cell trains and say that X is not a folder.
 */
class DemoChecksItsOutputFolderFirstTest {

    @Test
    void anOutThatIsAFileFailsBeforeTraining(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder");

        CliRun run = CliRun.of("demo", "--backend", "ejml", "--cells", "rnn", "--length", "5", "--hidden", "4",
                "--batch", "4", "--steps", "2", "--eval-every", "1", "--test-batches", "1", "--out", file.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertFalse(run.out().contains("Adding problem"), "fails before training:\n" + run.transcript());
        assertTrue(run.err().contains(file + " is a file, not a directory"), run.transcript());
        assertEquals("not a folder", Files.readString(file));
    }
}
