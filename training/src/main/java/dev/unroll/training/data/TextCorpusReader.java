package dev.unroll.training.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a language-modelling corpus: UTF-8 text, either whole (one long stream for truncated BPTT) or as
 * its non-blank lines (one independent sequence each, e.g. one grammar string per line).
 */
public final class TextCorpusReader {
    private TextCorpusReader() {
    }

    /** The whole text, line breaks normalised to {@code \n}. */
    public static String readText(Path file) {
        return String.join("\n", DataLines.readLines(file)) + "\n";
    }

    /** The non-blank lines. */
    public static List<String> readLines(Path file) {
        return DataLines.readLines(file).stream().filter(line -> !line.isBlank()).toList();
    }
}
