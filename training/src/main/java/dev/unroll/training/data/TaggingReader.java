package dev.unroll.training.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a tagging data set in the two-column CoNLL layout: one {@code token<TAB>tag} per line, a blank line
 * between sentences (several blank lines count as one). A line that is not exactly two non-empty
 * tab-separated fields fails with {@code file:line}.
 */
public final class TaggingReader {
    public static final String FORMAT = "token<TAB>tag";

    private TaggingReader() {
    }

    public static List<TaggedSentence> read(Path file) {
        List<String> lines = DataLines.readLines(file);
        List<TaggedSentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                flush(tokens, tags, sentences);
                continue;
            }
            String[] fields = TabSeparatedLine.split(file, i + 1, line, FORMAT);
            tokens.add(fields[0].strip());
            tags.add(fields[1].strip());
        }
        flush(tokens, tags, sentences);
        return sentences;
    }

    private static void flush(List<String> tokens, List<String> tags, List<TaggedSentence> sentences) {
        if (!tokens.isEmpty()) {
            sentences.add(new TaggedSentence(tokens, tags));
            tokens.clear();
            tags.clear();
        }
    }
}
