package dev.unroll.cli.train;

import static dev.unroll.cli.TestData.TINY;
import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import dev.unroll.cli.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private void assertNothingWritten() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("model")),
                    "a failed run leaves no checkpoint, chart or partial file");
        }
    }

    @Test
    void trainsAClassifierAndWritesCheckpointCurveAndReport() throws IOException {
        Path data = TestData.classification(dir);
        Path checkpoint = dir.resolve("model.ckpt");
        Path report = dir.resolve("train.json");

        CliRun run = CliRun.of(args("train", TINY, "--task", "classify", "--data", data.toString(),
                "--out", checkpoint.toString(), "--json", report.toString()));

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(Files.size(checkpoint) > 0);
        byte[] png = Files.readAllBytes(dir.resolve("model-training.png"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
        JsonObject numbers = json(report);
        assertEquals("classify", numbers.get("task").getAsString());
        assertEquals(36, numbers.get("trainExamples").getAsInt());
        assertEquals(4, numbers.get("validationExamples").getAsInt());
        assertEquals(2, numbers.getAsJsonArray("perEpoch").size());
        assertTrue(Double.isFinite(numbers.get("finalTrainLoss").getAsDouble()));
        double accuracy = numbers.getAsJsonObject("validation").get("accuracy").getAsDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, numbers.toString());
        assertTrue(run.out().contains("validation accuracy"), run.out());
    }

    @Test
    void theSameSeedGivesTheSameLosses() throws IOException {
        Path data = TestData.classification(dir);
        for (String name : new String[] {"a", "b"}) {
            CliRun run = CliRun.of(args("train", TINY, "--task", "classify", "--data", data.toString(),
                    "--out", dir.resolve(name + ".ckpt").toString(), "--json", dir.resolve(name + ".json").toString()));
            assertEquals(0, run.exitCode(), run.transcript());
        }

        assertEquals(json(dir.resolve("a.json")).get("perEpoch"), json(dir.resolve("b.json")).get("perEpoch"));
    }

    @Test
    void aMalformedLineFailsWithFileAndLineAndLeavesNothing() throws IOException {
        Path data = TestData.write(dir.resolve("bad.tsv"), "vowel\taei\nconsonant bcd\n");

        CliRun run = CliRun.of(args("train", TINY, "--task", "classify", "--data", data.toString(),
                "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(data + ":2:"), run.transcript());
        assertTrue(run.err().contains("label<TAB>text"), run.transcript());
        assertFalse(run.err().contains("Exception"), "a user error has no stack trace:\n" + run.err());
        assertNothingWritten();
    }

    @Test
    void anEmptyFileGetsAClearMessage() throws IOException {
        Path data = TestData.write(dir.resolve("empty.tsv"), "");

        CliRun run = CliRun.of(args("train", TINY, "--task", "classify", "--data", data.toString(),
                "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("empty.tsv") && run.err().contains("empty"), run.transcript());
        assertNothingWritten();
    }

    @Test
    void anUnknownTaskIsRejectedWithTheKnownOnes() throws IOException {
        Path data = TestData.classification(dir);

        CliRun run = CliRun.of(args("train", TINY, "--task", "dance", "--data", data.toString(),
                "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("unknown task 'dance'") && run.err().contains("classify, tag, lm, seq2seq"),
                run.transcript());
        assertNothingWritten();
    }

    @Test
    void aDataFileNeedsATask() throws IOException {
        Path data = TestData.classification(dir);

        CliRun run = CliRun.of(args("train", TINY, "--data", data.toString(), "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--task is required"), run.transcript());
    }

    @Test
    void truncatedBpttIsRefusedForABidirectionalModelBeforeAnyTraining() {
        CliRun run = CliRun.of(args("train", TINY, "--task", "tag", "--data", "builtin:reber", "--bidirectional",
                "--tbptt", "4", "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--tbptt") && run.err().contains("bidirectional"), run.transcript());
        assertFalse(Files.exists(dir.resolve("model.ckpt")), "nothing was trained");
    }

    @Test
    void aBuiltinDataSetOfAnotherTaskIsNamed() {
        CliRun run = CliRun.of(args("train", TINY, "--task", "classify", "--data", "builtin:reber",
                "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("builtin:reber is a data set for task lm"), run.transcript());
    }

    @Test
    void trainsATaggerOnCoNll() throws IOException {
        Path data = TestData.tagging(dir);
        Path report = dir.resolve("train.json");

        CliRun run = CliRun.of(args("train", TINY, "--task", "tag", "--data", data.toString(), "--bidirectional",
                "--out", dir.resolve("model.ckpt").toString(), "--json", report.toString()));

        assertEquals(0, run.exitCode(), run.transcript());
        double accuracy = json(report).getAsJsonObject("validation").get("stepAccuracy").getAsDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1);
    }

    @Test
    void trainsALanguageModelWithTruncatedBptt() throws IOException {
        Path report = dir.resolve("train.json");

        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:reber", "--examples", "40", "--tbptt", "4",
                "--cell", "gru", "--out", dir.resolve("model.ckpt").toString(), "--json", report.toString()));

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject numbers = json(report);
        assertEquals("lm", numbers.get("task").getAsString());
        double bits = numbers.getAsJsonObject("validation").get("bitsPerCharacter").getAsDouble();
        assertEquals(numbers.getAsJsonObject("validation").get("loss").getAsDouble() / Math.log(2), bits, 1e-9);
        // windows of 4 steps: more optimizer steps than batches
        int batchesPerEpoch = (36 + 7) / 8;
        assertTrue(numbers.get("optimizerSteps").getAsLong() > 2L * batchesPerEpoch, numbers.toString());
    }

    @Test
    void perEpochValidationLossIsTheSamePerCharacterMeanAsTheFinalReport() throws IOException {
        Path report = dir.resolve("train.json");

        // 20 held-out strings in batches of 8, 8 and 4 with different character counts: a mean over batches
        // weighted by strings instead of characters would differ
        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:reber", "--examples", "40",
                "--validation", "0.5", "--out", dir.resolve("model.ckpt").toString(), "--json", report.toString()));

        assertEquals(0, run.exitCode(), run.transcript());
        JsonObject numbers = json(report);
        var epochs = numbers.getAsJsonArray("perEpoch");
        double lastEpochLoss = epochs.get(epochs.size() - 1).getAsJsonObject().getAsJsonObject("validation")
                .get("validationLoss").getAsDouble();
        assertEquals(numbers.getAsJsonObject("validation").get("loss").getAsDouble(), lastEpochLoss, 1e-12);
    }

    @Test
    void trainsASeq2SeqModelOnDates() throws IOException {
        Path report = dir.resolve("train.json");

        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:dates", "--examples", "30",
                "--out", dir.resolve("model.ckpt").toString(), "--json", report.toString()));

        assertEquals(0, run.exitCode(), run.transcript());
        double exact = json(report).getAsJsonObject("validation").get("exactMatch").getAsDouble();
        assertTrue(exact >= 0 && exact <= 1);
    }

    @Test
    void trainsARegressorOnTheAddingProblem() throws IOException {
        Path report = dir.resolve("train.json");

        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:adding", "--examples", "20", "--cell", "rnn",
                "--out", dir.resolve("model.ckpt").toString(), "--json", report.toString()));

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(json(report).getAsJsonObject("validation").get("mse").getAsDouble() > 0);
    }

    @Test
    void aNegativeExampleCountIsRefusedByOptionName() throws IOException {
        for (String data : new String[] {"builtin:adding", "builtin:reber"}) {
            CliRun run = CliRun.of(args("train", TINY, "--data", data, "--examples", "-1",
                    "--out", dir.resolve("model.ckpt").toString()));

            assertEquals(1, run.exitCode(), run.transcript());
            assertTrue(run.err().contains("--examples must be a whole number >= 1, was -1"), run.transcript());
        }
        assertNothingWritten();
    }

    @Test
    void aBidirectionalLanguageModelIsRefused() {
        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:reber", "--examples", "20", "--bidirectional",
                "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("unidirectional"), run.transcript());
    }

    @Test
    void wordTokensReadWholeWordsAndUnseenWordsStillEvaluate() throws IOException {
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            tsv.append("greeting\thello there friend\n").append("farewell\tgood bye friend\n");
        }
        Path data = TestData.write(dir.resolve("words.tsv"), tsv.toString());
        Path unseen = TestData.write(dir.resolve("unseen.tsv"), "greeting\thello stranger\n");
        Path checkpoint = dir.resolve("model.ckpt");

        CliRun train = CliRun.of(args("train", TINY, "--task", "classify", "--tokens", "word",
                "--data", data.toString(), "--out", checkpoint.toString()));
        CliRun eval = CliRun.of("eval", "--backend", "ejml", "--model", checkpoint.toString(), "--data", unseen.toString());

        assertEquals(0, train.exitCode(), train.transcript());
        assertEquals(0, eval.exitCode(), eval.transcript());
    }

    @Test
    void anUnknownTokenLevelIsABadOption() throws IOException {
        CliRun run = CliRun.of(args("train", TINY, "--task", "classify", "--tokens", "byte",
                "--data", TestData.classification(dir).toString(), "--out", dir.resolve("model.ckpt").toString()));

        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("char, word"), run.transcript());
    }
}
