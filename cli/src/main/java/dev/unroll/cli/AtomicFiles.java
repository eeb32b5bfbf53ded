package dev.unroll.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that a reader sees the old file or the whole new one, never half of it: write a
 * temporary file in the same directory, then rename it over the target. A run that fails part way leaves
 * nothing half-written behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A functional write into a path, for writers that want a path rather than bytes (images, checkpoints). */
    @FunctionalInterface
    public interface PathWriter {
        void writeTo(Path temporary) throws IOException;
    }

    public static void write(Path target, byte[] content) {
        write(target, temporary -> Files.write(temporary, content));
    }

    public static void write(Path target, PathWriter writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            temporary = createTemporary(dir, absolute);
            writer.writeTo(temporary);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    /**
     * Fails with a {@link UserError} naming {@code what}, {@code target} and the reason if {@code target} could
     * not be written: it is a directory, a folder on its way is a file, or its folder does not take new files.
     * Commands call it before they compute, so a bad output path costs nothing instead of a whole run.
     * Creates nothing that stays: a probe file in an existing folder is deleted at once.
     */
    public static void checkWritable(Path target, String what) {
        Path absolute = target.toAbsolutePath().normalize();
        String shown = target.toString().isEmpty() ? "''" : target.toString();
        if (absolute.getFileName() == null || Files.isDirectory(absolute)) {
            throw new UserError("cannot write " + what + " " + shown + ": it is a directory; expected a file path");
        }
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return; // nothing on the way exists, not even a root: let the write report what it finds
        }
        if (!Files.isDirectory(existing)) {
            throw new UserError("cannot write " + what + " " + shown + ": " + existing
                    + " is a file, not a directory");
        }
        try {
            // the only sure test of "can a file be made here" (permissions, read-only or special file systems)
            Files.delete(createTemporary(existing, absolute));
        } catch (IOException e) {
            // the probe's random name would only confuse: the folder is what refuses
            throw new UserError("cannot write " + what + " " + shown + ": cannot create a file in " + existing
                    + " (" + words(e) + ")", e);
        }
    }

    /** What went wrong, in words, and on which file: the JDK's messages for these are often just the path. */
    public static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " already exists and is not a directory";
        }
        if (e instanceof FileSystemException failed && failed.getFile() != null) {
            return words(e) + " (" + failed.getFile() + ")";
        }
        return words(e);
    }

    /** What went wrong, in words, without the file. */
    private static String words(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file already exists";
        }
        if (e instanceof FileSystemException failed) {
            return failed.getReason() != null ? failed.getReason() : "file system error";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * A hidden file beside {@code target}, with the permissions a plain new file gets (read-write for all,
     * less the umask): {@code createTempFile}'s own default of owner-only would make every report and chart
     * unreadable to the other users of a shared machine.
     */
    private static Path createTemporary(Path dir, Path target) throws IOException {
        String prefix = "." + target.getFileName();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> anyoneMayRead = PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-rw-rw-"));
            return Files.createTempFile(dir, prefix, ".partial", anyoneMayRead);
        }
        return Files.createTempFile(dir, prefix, ".partial");
    }
}
