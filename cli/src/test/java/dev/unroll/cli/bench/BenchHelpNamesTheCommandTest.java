package dev.unroll.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import org.junit.jupiter.api.Test;

/**
 * The bench command comes from the benchmarks module, where its own name is unroll-bench (the name of that
 * jar). Under `unroll` it is `bench`, and its usage line has to say what the user types: "Usage: unroll
 * unroll-bench" names a command that does not exist.
 */
class BenchHelpNamesTheCommandTest {

    @Test
    void theUsageLineIsUnrollBench() {
        CliRun run = CliRun.of("bench", "--help");

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().startsWith("Usage: unroll bench "), run.transcript());
    }
}
