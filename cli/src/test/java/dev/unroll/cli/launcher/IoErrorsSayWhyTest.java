package dev.unroll.cli.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/**
 * The training library reports a failed checkpoint write as "Cannot write checkpoint X" and keeps the reason
 * only in the cause, which the one-line error used to drop: the user learnt what failed but not why. (Output
 * paths are now checked before training, but a disk can still fill or a folder vanish during a run.)
 */
class IoErrorsSayWhyTest {

    @Test
    void theCausesReasonIsAppended() {
        UncheckedIOException e = new UncheckedIOException("Cannot write checkpoint runs/model.ckpt",
                new AccessDeniedException("runs/model.ckpt.123.tmp"));

        assertEquals("Cannot write checkpoint runs/model.ckpt: permission denied (runs/model.ckpt.123.tmp)",
                UserErrorHandler.message(e));
    }

    @Test
    void aMessageWithOnlyTheCausesBarePathStillGetsTheReason() {
        // DataLines' wording: the NoSuchFileException's message is just the path
        UncheckedIOException e = new UncheckedIOException("cannot read data.tsv: data.tsv",
                new NoSuchFileException("data.tsv"));

        assertEquals("cannot read data.tsv: data.tsv: no such file or directory (data.tsv)",
                UserErrorHandler.message(e));
    }

    @Test
    void aMessageThatAlreadyGivesTheReasonIsLeftAlone() {
        UncheckedIOException e = new UncheckedIOException("cannot read data.tsv: permission denied (data.tsv)",
                new AccessDeniedException("data.tsv"));

        assertEquals("cannot read data.tsv: permission denied (data.tsv)", UserErrorHandler.message(e));
    }
}
