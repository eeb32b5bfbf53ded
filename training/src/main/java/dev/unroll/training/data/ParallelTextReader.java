package dev.unroll.training.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a sequence-to-sequence data set: UTF-8 TSV, one {@code source<TAB>target} per line. Blank lines are
 * skipped; any other line without exactly one tab, or with an empty side, fails with {@code file:line}.
 */
public final class ParallelTextReader {
    public static final String FORMAT = "source<TAB>target";

    private ParallelTextReader() {
    }

    public static List<TextPair> read(Path file) {
        List<String> lines = DataLines.readLines(file);
        List<TextPair> pairs = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] fields = TabSeparatedLine.split(file, i + 1, lines.get(i), FORMAT);
            pairs.add(new TextPair(fields[0], fields[1]));
        }
        return pairs;
    }
}
