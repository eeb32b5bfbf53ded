package dev.unroll.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --temperature Infinity passed the ">= 0" check and every sample came out empty, with exit code 0. It is
 * refused like NaN, before the checkpoint is even looked at (so this one need not exist).
 */
class GenerateRejectsAnInfiniteTemperatureTest {

    @Test
    void infinityIsNotATemperature(@TempDir Path dir) {
        CliRun run = CliRun.of("generate", "--backend", "ejml", "--model", dir.resolve("lm.ckpt").toString(),
                "--temperature", "Infinity");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--temperature must be a finite number >= 0"), run.transcript());
        assertTrue(run.err().contains("Infinity"), run.transcript());
    }
}
