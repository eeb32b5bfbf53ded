package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written atomically gets the permissions any new file gets here (the umask's), not those of the
 * temporary file it started as: createTempFile makes owner-only files, so every --json report and
 * results.json came out rw------- while the PNG beside it was rw-r--r--, unreadable to other users of a
 * shared machine.
 */
class AtomicFilesPermissionsTest {

    @Test
    void aWrittenFileHasThePermissionsOfAPlainNewFile(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path plain = Files.createFile(dir.resolve("plain.json"));
        Path written = dir.resolve("written.json");

        AtomicFiles.write(written, "{}".getBytes());

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }
}
