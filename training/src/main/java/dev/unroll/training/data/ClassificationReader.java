package dev.unroll.training.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a classification data set: UTF-8 TSV, one {@code label<TAB>text} per line. Blank lines are skipped;
 * any other line without exactly one tab, or with an empty label or text, fails with {@code file:line}.
 */
public final class ClassificationReader {
    public static final String FORMAT = "label<TAB>text";

    private ClassificationReader() {
    }

    public static List<LabeledText> read(Path file) {
        List<String> lines = DataLines.readLines(file);
        List<LabeledText> examples = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] fields = TabSeparatedLine.split(file, i + 1, lines.get(i), FORMAT);
            examples.add(new LabeledText(fields[0].strip(), fields[1]));
        }
        return examples;
    }
}
