package dev.unroll.cli.eval;

import static dev.unroll.cli.TestData.TINY;
import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    static Path dir;
    static Path classifier;
    static Path tagger;
    static Path languageModel;

    @BeforeAll
    static void trainSmallModels() throws IOException {
        classifier = dir.resolve("classifier.ckpt");
        tagger = dir.resolve("tagger.ckpt");
        languageModel = dir.resolve("lm.ckpt");
        train("--task", "classify", "--data", TestData.classification(dir).toString(), "--out", classifier.toString());
        train("--task", "tag", "--data", TestData.tagging(dir).toString(), "--out", tagger.toString());
        train("--data", "builtin:reber", "--examples", "30", "--out", languageModel.toString());
    }

    private static void train(String... options) {
        CliRun run = CliRun.of(args("train", TINY, options));
        assertEquals(0, run.exitCode(), run.transcript());
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void reportsAccuracyAndLossOfAClassifier() throws IOException {
        Path report = dir.resolve("eval-classify.json");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", classifier.toString(),
                "--data", dir.resolve("train.tsv").toString(), "--json", report.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject metrics = json(report).getAsJsonObject("metrics");
        double accuracy = metrics.get("accuracy").getAsDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1);
        assertTrue(metrics.get("loss").getAsDouble() > 0);
        assertEquals(40, json(report).get("examples").getAsInt());
        assertTrue(run.out().contains("accuracy"), run.out());
    }

    @Test
    void unknownCharactersAtInferenceMapToTheUnknownToken() throws IOException {
        Path data = TestData.write(dir.resolve("unseen-chars.tsv"), "vowel\t\u00e9\u00e0\u00ef\nconsonant\txyz\n");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", classifier.toString(), "--data", data.toString());

        assertEquals(0, run.exitCode(), run.transcript());
    }

    @Test
    void aLabelUnseenInTrainingGetsAClearMessage() throws IOException {
        Path data = TestData.write(dir.resolve("unseen-label.tsv"), "vowel\taei\nsemivowel\twy\n");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", classifier.toString(), "--data", data.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("'semivowel' was not seen in training")
                && run.err().contains("[consonant, vowel]"), run.transcript());
    }

    @Test
    void reportsPerStepAccuracyOfATagger() throws IOException {
        Path report = dir.resolve("eval-tag.json");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", tagger.toString(),
                "--data", dir.resolve("train.conll").toString(), "--json", report.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject metrics = json(report).getAsJsonObject("metrics");
        assertTrue(metrics.has("stepAccuracy") && metrics.has("sentenceAccuracy"), metrics.toString());
    }

    @Test
    void reportsBitsPerCharacterOfALanguageModel() throws IOException {
        Path data = TestData.write(dir.resolve("reber.txt"), "BTBTXSETE\nBPBPVVEPE\n");
        Path report = dir.resolve("eval-lm.json");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", languageModel.toString(),
                "--data", data.toString(), "--json", report.toString());

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject metrics = json(report).getAsJsonObject("metrics");
        assertEquals(metrics.get("loss").getAsDouble() / Math.log(2), metrics.get("bitsPerCharacter").getAsDouble(), 1e-9);
    }

    @Test
    void aMalformedEvaluationFileNamesItsLine() throws IOException {
        Path data = TestData.write(dir.resolve("bad.conll"), "one\tWORD\n\n2 NUM\n");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", tagger.toString(), "--data", data.toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(data + ":3:") && run.err().contains("token<TAB>tag"), run.transcript());
    }

    @Test
    void aBatchOrExampleCountBelowOneIsRefusedByOptionName() {
        String[][] cases = {{"--batch", "0"}, {"--batch", "-1"}, {"--examples", "0"}, {"--examples", "-1"}};
        for (String[] option : cases) {
            CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", languageModel.toString(),
                    "--data", "builtin:reber", option[0], option[1]);

            assertEquals(1, run.exitCode(), run.transcript());
            assertTrue(run.err().contains(option[0] + " must be a whole number >= 1, was " + option[1]),
                    run.transcript());
        }
    }

    @Test
    void aFileThatIsNotACheckpointIsRefused() throws IOException {
        Path notACheckpoint = TestData.write(dir.resolve("notes.ckpt"), "hello");

        CliRun run = CliRun.of("eval", "--backend", "ejml", "--model", notACheckpoint.toString(),
                "--data", dir.resolve("train.tsv").toString());

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("cannot read checkpoint"), run.transcript());
    }
}
