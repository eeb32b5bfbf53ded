package dev.unroll.cli.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsCommandTest {

    @Test
    void listsEjmlAsAvailableAndWritesTheSameAsJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("backends.json");

        CliRun run = CliRun.of("backends", "--json", json.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("ejml") && l.contains("available")), run.out());
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonArray backends = report.getAsJsonArray("backends");
        boolean ejmlAvailable = false;
        for (JsonElement b : backends) {
            JsonObject backend = b.getAsJsonObject();
            if (backend.get("name").getAsString().equals("ejml")) {
                ejmlAvailable = backend.get("available").getAsBoolean();
            }
            if (!backend.get("available").getAsBoolean()) {
                assertTrue(backend.has("reason"), "an unavailable backend says why: " + backend);
            }
        }
        assertTrue(ejmlAvailable, report.toString());
        assertTrue(run.out().contains("default: " + report.get("defaultBackend").getAsString()), run.out());
    }
}
