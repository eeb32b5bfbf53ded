package dev.unroll.cli.translate;

import static dev.unroll.cli.TestData.TINY;
import static dev.unroll.cli.TestData.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.unroll.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranslateCommandTest {
    @TempDir
    static Path dir;
    static Path seq2seq;

    @BeforeAll
    static void trainASmallSeq2SeqModel() {
        seq2seq = dir.resolve("dates.ckpt");
        CliRun run = CliRun.of(args("train", TINY, "--data", "builtin:dates", "--examples", "30",
                "--out", seq2seq.toString()));
        assertEquals(0, run.exitCode(), run.transcript());
    }

    @Test
    void translatesEveryTextGreedyAndWithABeam() throws IOException {
        Path report = dir.resolve("translate.json");

        CliRun run = CliRun.of("translate", "--backend", "ejml", "--model", seq2seq.toString(), "--beam", "3",
                "--json", report.toString(), "march 3, 1998", "24.11.2017");

        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("march 3, 1998 => ") && run.out().contains("24.11.2017 => "), run.out());
        JsonArray translations = JsonParser.parseString(Files.readString(report)).getAsJsonArray();
        assertEquals(2, translations.size());
        assertEquals("march 3, 1998", translations.get(0).getAsJsonObject().get("source").getAsString());
    }

    @Test
    void aLengthPenaltyIsTakenWithABeamAndANegativeOneIsRefused() {
        CliRun run = CliRun.of("translate", "--backend", "ejml", "--model", seq2seq.toString(), "--beam", "3",
                "--length-penalty", "1", "march 3, 1998");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("march 3, 1998 => "), run.out());

        CliRun refused = CliRun.of("translate", "--backend", "ejml", "--model", seq2seq.toString(), "--beam", "3",
                "--length-penalty", "-1", "march 3, 1998");
        assertEquals(1, refused.exitCode(), refused.transcript());
        assertTrue(refused.err().contains("--length-penalty must be a finite number >= 0, was -1.0"),
                refused.transcript());
    }

    @Test
    void charactersNeverSeenStillTranslate() {
        CliRun run = CliRun.of("translate", "--backend", "ejml", "--model", seq2seq.toString(), "\u65e5\u4ed8 ~ 1998");

        assertEquals(0, run.exitCode(), run.transcript());
    }

    @Test
    void needsAtLeastOneText() {
        CliRun run = CliRun.of("translate", "--backend", "ejml", "--model", seq2seq.toString());

        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("TEXT"), run.transcript());
    }

    @Test
    void aModelOfAnotherTaskIsRefusedBeforeABackendIsOpened() {
        Path languageModel = dir.resolve("lm.ckpt");
        CliRun train = CliRun.of(args("train", TINY, "--data", "builtin:reber", "--examples", "20",
                "--out", languageModel.toString()));
        assertEquals(0, train.exitCode(), train.transcript());

        // a backend that cannot be opened: the task error comes first, so no backend was opened to leak
        CliRun run = CliRun.of("translate", "--backend", "no-such-backend", "--model", languageModel.toString(), "x");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("translate needs a seq2seq model"), run.transcript());
    }

    @Test
    void aMissingCheckpointIsNamed() {
        CliRun run = CliRun.of("translate", "--backend", "ejml", "--model", dir.resolve("nope.ckpt").toString(), "x");

        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("no checkpoint at") && run.err().contains("nope.ckpt"), run.transcript());
    }
}
