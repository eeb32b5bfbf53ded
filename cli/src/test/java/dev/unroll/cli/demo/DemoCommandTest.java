package dev.unroll.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int T = 8;

    private static CliRun tinyDemo(Path out, String... extra) {
        String[] base = {"demo", "--backend", "ejml", "--out", out.toString(), "--length", "" + T, "--hidden", "4",
                "--batch", "4", "--steps", "3", "--eval-every", "2", "--test-batches", "1"};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void trainsEveryCellAndWritesTableChartAndJson(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("demo-out");
        Path json = dir.resolve("report.json");

        CliRun run = tinyDemo(out, "--json", json.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        for (String cell : new String[] {"rnn (tanh)", "lstm", "gru"}) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(cell)), cell + " row missing:\n" + run.out());
        }
        byte[] png = Files.readAllBytes(out.resolve("adding-problem.png"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
        assertEquals(Files.readString(out.resolve("results.json")), Files.readString(json));

        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("ejml", report.get("backend").getAsString());
        assertEquals(1.0 / 6.0, report.get("meanPredictorMse").getAsDouble(), 1e-12);
        JsonArray results = report.getAsJsonArray("results");
        assertEquals(3, results.size());
        for (int i = 0; i < results.size(); i++) {
            JsonObject cell = results.get(i).getAsJsonObject();
            double mse = cell.get("testMse").getAsDouble();
            assertTrue(Double.isFinite(mse) && mse > 0, cell.toString());
            assertEquals(3, cell.getAsJsonArray("trainLoss").size());
            // evaluated before training, after step 2 and after the last step
            assertEquals("[0,2,3]", cell.getAsJsonArray("evaluatedAt").toString());
            JsonArray reach = cell.getAsJsonArray("inputGradientAtEnd");
            assertEquals(T, reach.size());
            for (int t = 0; t < T; t++) {
                assertTrue(reach.get(t).getAsDouble() >= 0);
            }
            // the last step's input feeds the final state directly: some gradient always reaches it
            assertTrue(reach.get(T - 1).getAsDouble() > 0, cell.toString());
        }
        assertFalse(Files.list(out).anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
    }

    @Test
    void theSameSeedGivesTheSameLosses(@TempDir Path dir) throws IOException {
        tinyDemo(dir.resolve("a"), "--cells", "gru");
        tinyDemo(dir.resolve("b"), "--cells", "gru");

        JsonObject a = JsonParser.parseString(Files.readString(dir.resolve("a/results.json"))).getAsJsonObject();
        JsonObject b = JsonParser.parseString(Files.readString(dir.resolve("b/results.json"))).getAsJsonObject();
        assertEquals(a.getAsJsonArray("results").get(0).getAsJsonObject().get("trainLoss"),
                b.getAsJsonArray("results").get(0).getAsJsonObject().get("trainLoss"));
    }

    @Test
    void anUnknownCellIsABadOption(@TempDir Path dir) {
        CliRun run = tinyDemo(dir, "--cells", "lstm,transformer");

        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("transformer"), run.transcript());
    }

    @Test
    void anUnknownBackendIsNamedWithTheKnownOnes(@TempDir Path dir) {
        CliRun run = CliRun.of("demo", "--backend", "abacus", "--out", dir.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("abacus") && run.err().contains("ejml"), run.transcript());
    }

    @Test
    void impossibleSettingsAreNamed(@TempDir Path dir) {
        CliRun run = CliRun.of("demo", "--backend", "ejml", "--out", dir.toString(), "--length", "1");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--length >= 2"), run.transcript());
    }
}
