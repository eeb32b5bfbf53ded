package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndCreatesMissingDirectories() throws IOException {
        Path target = dir.resolve("a/b/report.json");

        AtomicFiles.write(target, "one".getBytes());
        AtomicFiles.write(target, "two".getBytes());

        assertEquals("two", Files.readString(target));
        assertEquals(List.of(target), listAll());
    }

    @Test
    void aWriterThatFailsLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = Files.writeString(dir.resolve("chart.png"), "old");

        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, temporary -> {
            Files.writeString(temporary, "half");
            throw new IOException("disk full");
        }));

        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listAll());
    }

    private List<Path> listAll() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
