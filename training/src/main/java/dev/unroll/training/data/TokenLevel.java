package dev.unroll.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one token of text is: a character (the default; tiny vocabularies, no unknown words) or a
 * whitespace-separated word.
 */
public enum TokenLevel implements Tokenizer {
    /** One token per Unicode code point, so a character outside the BMP is one token, not two. */
    CHAR {
        @Override
        public List<String> tokenize(String text) {
            List<String> out = new ArrayList<>(text.length());
            text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }

        @Override
        public String join(List<String> tokens) {
            return String.join("", tokens);
        }
    },
    /** Tokens are the runs of non-whitespace; joining puts one space between them. */
    WORD {
        @Override
        public List<String> tokenize(String text) {
            String trimmed = text.strip();
            return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
        }

        @Override
        public String join(List<String> tokens) {
            return String.join(" ", tokens);
        }
    };

    /** Parses {@code char} or {@code word} (any case). */
    public static TokenLevel parse(String name) {
        for (TokenLevel level : values()) {
            if (level.name().equalsIgnoreCase(name.strip())) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown token level '" + name + "', expected one of: char, word");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
