package dev.unroll.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import org.junit.jupiter.api.Test;

/** {@code unroll bench} is the benchmark jar's command: one JSON line with the shape and both medians. */
class BenchCommandTest {

    @Test
    void printsOneJsonLineForTheRequestedShape() {
        CliRun run = CliRun.of("bench", "--backend", "ejml", "--cell", "gru", "--T", "3", "--batch", "2",
                "--input", "5", "--hidden", "4", "--threads", "1", "--warmup", "1", "--warmup-ms", "0",
                "--iterations", "3");

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject line = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        assertEquals("ejml", line.get("backend").getAsString());
        assertEquals("gru", line.get("cell").getAsString());
        assertEquals(3, line.get("T").getAsInt());
        assertEquals(2, line.get("B").getAsInt());
        assertEquals(5, line.get("I").getAsInt());
        assertEquals(4, line.get("H").getAsInt());
        assertEquals(1, line.get("threads").getAsInt());
        assertTrue(line.get("fwd_ms").getAsDouble() > 0, run.out());
        assertTrue(line.get("fwd_bwd_ms").getAsDouble() > 0, run.out());
    }

    @Test
    void unknownBackendFailsWithTheKnownOnes() {
        CliRun run = CliRun.of("bench", "--backend", "tpu", "--T", "2", "--batch", "1", "--input", "2",
                "--hidden", "2", "--warmup", "0", "--warmup-ms", "0", "--iterations", "1");

        assertTrue(run.exitCode() != 0, run.transcript());
        assertTrue(run.err().contains("Unknown backend [tpu]") && run.err().contains("ejml"), run.transcript());
    }
}
