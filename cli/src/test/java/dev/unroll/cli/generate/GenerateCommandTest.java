package dev.unroll.cli.generate;

import static dev.unroll.cli.TestData.TINY;
import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    static Path dir;
    static Path languageModel;

    @BeforeAll
    static void trainASmallLanguageModel() {
        languageModel = dir.resolve("lm.ckpt");
        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:reber", "--examples", "30",
                "--out", languageModel.toString()));
        assertEquals(0, run.exitCode(), run.transcript());
    }

    @Test
    void drawsSamplesAndChecksThemAgainstTheReberGrammar() throws IOException {
        Path report = dir.resolve("generate.json");

        CliRun run = CliRun.of("generate", "--backend", "ejml", "--model", languageModel.toString(), "--count", "5",
                "--length", "30", "--json", report.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject numbers = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        JsonArray samples = numbers.getAsJsonArray("samples");
        assertEquals(5, samples.size());
        for (int i = 0; i < samples.size(); i++) {
            String sample = samples.get(i).getAsString();
            assertTrue(sample.length() <= 30, sample);
            assertTrue(sample.chars().allMatch(c -> "BTPSXVE".indexOf(c) >= 0), "only grammar symbols: " + sample);
            assertTrue(run.out().contains(sample), run.out());
        }
        double valid = numbers.get("validReberFraction").getAsDouble();
        assertTrue(valid >= 0 && valid <= 1);
        assertTrue(run.out().contains("valid embedded Reber strings"), run.out());
    }

    @Test
    void aPrimeStartsEverySample() {
        CliRun run = CliRun.of("generate", "--backend", "ejml", "--model", languageModel.toString(), "--prime", "BT",
                "--count", "3", "--length", "5");

        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(3, run.out().lines().filter(l -> l.startsWith("BT")).count(), run.out());
    }

    @Test
    void theSameSeedGivesTheSameSamples() {
        String[] command = {"generate", "--backend", "ejml", "--model", languageModel.toString(), "--count", "3",
                "--seed", "7", "--temperature", "1.5"};

        assertEquals(CliRun.of(command).out(), CliRun.of(command).out());
    }

    @Test
    void aModelOfAnotherTaskIsRefused() throws IOException {
        Path classifier = dir.resolve("classifier.ckpt");
        CliRun train = CliRun.of(args("train", TINY, "--task", "classify",
                "--data", TestData.classification(dir).toString(), "--out", classifier.toString()));
        assertEquals(0, train.exitCode(), train.transcript());

        CliRun run = CliRun.of("generate", "--backend", "ejml", "--model", classifier.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("generate needs a lm model"), run.transcript());
    }

    @Test
    void aModelOfAnotherTaskIsRefusedBeforeABackendIsOpened() throws IOException {
        Path classifier = dir.resolve("classifier-early.ckpt");
        CliRun train = CliRun.of(args("train", TINY, "--task", "classify",
                "--data", TestData.classification(dir).toString(), "--out", classifier.toString()));
        assertEquals(0, train.exitCode(), train.transcript());

        // a backend that cannot be opened: the task error comes first, so no backend was opened to leak
        CliRun run = CliRun.of("generate", "--backend", "no-such-backend", "--model", classifier.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("generate needs a lm model"), run.transcript());
    }

    @Test
    void negativeTemperatureOrTopKIsRefusedByOptionName() {
        for (String[] option : new String[][] {{"--temperature", "-1"}, {"--top-k", "-1"}}) {
            CliRun run = CliRun.of(args(List.of("generate", "--backend", "ejml", "--model",
                    languageModel.toString()), option));

            assertEquals(1, run.exitCode(), run.transcript());
            assertTrue(run.err().contains(option[0]), run.transcript());
        }
    }
}
