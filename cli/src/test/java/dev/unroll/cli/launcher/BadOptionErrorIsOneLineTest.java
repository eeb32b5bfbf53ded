package dev.unroll.cli.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import org.junit.jupiter.api.Test;

/**
 * The README promises that errors are one line on stderr. picocli's default for a bad option prints the whole
 * usage text after the message (25 lines for train), which buries the one line that says what was wrong; the
 * message has to stand alone and point at --help for the rest.
 */
class BadOptionErrorIsOneLineTest {

    private static String[] nonEmptyLines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toArray(String[]::new);
    }

    @Test
    void anUnknownOptionIsOneLineNamingItAndTheCommandsHelp() {
        CliRun run = CliRun.of("train", "--data", "builtin:reber", "--out", "never-written.ckpt", "--epoch", "3");

        assertEquals(2, run.exitCode(), run.transcript());
        String[] lines = nonEmptyLines(run.err());
        assertEquals(1, lines.length, run.transcript());
        assertTrue(lines[0].startsWith("unroll: error: ") && lines[0].contains("'--epoch'"), run.transcript());
        // picocli finds the near miss; saying it saves the user a trip to --help
        assertTrue(lines[0].contains("--epochs"), run.transcript());
        assertTrue(lines[0].contains("unroll train --help"), run.transcript());
    }

    @Test
    void aValueThatDoesNotConvertIsOneLineNamingTheOption() {
        CliRun run = CliRun.of("eval", "--model", "m.ckpt", "--data", "d.tsv", "--batch", "many");

        assertEquals(2, run.exitCode(), run.transcript());
        String[] lines = nonEmptyLines(run.err());
        assertEquals(1, lines.length, run.transcript());
        assertTrue(lines[0].contains("--batch") && lines[0].contains("'many'"), run.transcript());
    }

    @Test
    void anUnknownCommandIsCalledThatAndListsTheCommands() {
        CliRun run = CliRun.of("trian");

        assertEquals(2, run.exitCode(), run.transcript());
        String[] lines = nonEmptyLines(run.err());
        assertEquals(1, lines.length, run.transcript());
        // not picocli's "Unmatched argument at index 0", which does not say that a command was expected
        assertTrue(lines[0].contains("unknown command 'trian'"), run.transcript());
        assertTrue(lines[0].contains("train") && lines[0].contains("generate"), run.transcript());
    }
}
