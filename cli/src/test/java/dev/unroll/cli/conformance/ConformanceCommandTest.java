package dev.unroll.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceCommandTest {
    private static final String GOLDEN = "/dev/unroll/conformance/golden/";

    @TempDir
    Path dir;

    @Test
    void comparesEjmlFloat32WithItsFloat64AndWritesTheRows() throws IOException {
        Path json = dir.resolve("conformance.json");

        CliRun run = CliRun.of("conformance", "--backends", "ejml", "--json", json.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("against ejml FLOAT64"), run.out());
        JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("crossBackend");
        assertTrue(rows.size() > 0);
        for (int i = 0; i < rows.size(); i++) {
            JsonObject row = rows.get(i).getAsJsonObject();
            assertEquals("ejml FLOAT32", row.get("compared").getAsString());
            assertTrue(row.get("withinTolerance").getAsBoolean(), row.toString());
            assertTrue(run.out().contains(row.get("check").getAsString()), "table row for " + row);
        }
        assertTrue(run.out().contains(rows.size() + " comparisons, 0 out of tolerance"), run.out());
    }

    @Test
    void runsAFolderOfGoldenFixtures() throws IOException {
        Path golden = Files.createDirectory(dir.resolve("golden"));
        List<String> names = fixtureNames().subList(0, 2);
        for (String name : names) {
            try (InputStream in = getClass().getResourceAsStream(GOLDEN + name)) {
                assertNotNull(in, name);
                Files.copy(in, golden.resolve(name));
            }
        }

        CliRun run = CliRun.of("conformance", "--backends", "ejml", "--golden", golden.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("ejml FLOAT32 golden cases: 2 passed, 0 failed"), run.out());
    }

    @Test
    void aGoldenPathThatIsNotAFolderIsNamedBeforeAnythingRuns() {
        Path missing = dir.resolve("nope");

        CliRun run = CliRun.of("conformance", "--backends", "ejml", "--golden", missing.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--golden " + missing + " is not a folder"), run.transcript());
        assertEquals("", run.out(), "nothing was compared first");
    }

    @Test
    void anUnknownBackendIsNamed() {
        CliRun run = CliRun.of("conformance", "--backends", "ejml,slide-rule");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("slide-rule"), run.transcript());
    }

    private List<String> fixtureNames() throws IOException {
        try (InputStream index = getClass().getResourceAsStream(GOLDEN + "index.txt")) {
            assertNotNull(index, "the kit bundles golden/index.txt");
            return new String(index.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.endsWith(".json")).toList();
        }
    }
}
