package dev.unroll.training.data;

import java.nio.file.Path;

/**
 * A data file that cannot be read as the task's format. The message starts with {@code file:line} (the
 * 1-based line), the way compilers report errors, so an editor or terminal can jump to it, then says what
 * was expected and what was found.
 */
public final class DataFormatException extends RuntimeException {
    private final Path file;
    private final int line;

    public DataFormatException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** A problem with the whole file (such as being empty); {@link #line()} is 0. */
    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.line = 0;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when the problem is the whole file. */
    public int line() {
        return line;
    }
}
