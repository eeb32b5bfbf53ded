package dev.unroll.cli.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import org.junit.jupiter.api.Test;

class UnrollCliTest {

    @Test
    void anUnknownCommandFailsWithAMessageAndUsage() {
        CliRun run = CliRun.of("fly");

        assertNotEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("fly"), run.transcript());
    }

    @Test
    void noCommandAtAllListsTheCommands() {
        CliRun run = CliRun.of();

        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("Missing command") && run.err().contains("demo"), run.transcript());
    }

    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.of("--help");

        assertEquals(0, run.exitCode(), run.transcript());
        for (String command : new String[] {"demo", "train", "eval", "generate", "translate", "backends", "conformance"}) {
            assertTrue(run.out().contains(command), command + " missing from\n" + run.out());
        }
    }
}
