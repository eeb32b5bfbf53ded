package dev.unroll.training.data;

import java.nio.file.Path;

/** Splits one line into exactly two non-empty tab-separated fields, or fails naming the line and the format. */
final class TabSeparatedLine {
    private TabSeparatedLine() {
    }

    /**
     * @param format what a good line looks like, e.g. {@code "label<TAB>text"}
     * @return the two fields
     */
    static String[] split(Path file, int lineNumber, String line, String format) {
        int tab = line.indexOf('\t');
        if (tab < 0) {
            throw new DataFormatException(file, lineNumber,
                    "expected '" + format + "' but found no tab in: " + abbreviate(line));
        }
        if (line.indexOf('\t', tab + 1) >= 0) {
            throw new DataFormatException(file, lineNumber,
                    "expected '" + format + "' (exactly one tab) but found more than one tab in: " + abbreviate(line));
        }
        String first = line.substring(0, tab);
        String second = line.substring(tab + 1);
        String[] names = format.split("<TAB>");
        if (first.isBlank()) {
            throw new DataFormatException(file, lineNumber, "expected '" + format + "' but the " + names[0] + " is empty");
        }
        if (second.isBlank()) {
            throw new DataFormatException(file, lineNumber, "expected '" + format + "' but the " + names[1] + " is empty");
        }
        return new String[] {first, second};
    }

    static String abbreviate(String line) {
        String shown = line.length() > 60 ? line.substring(0, 57) + "..." : line;
        return "\"" + shown.replace("\t", "\\t") + "\"";
    }
}
