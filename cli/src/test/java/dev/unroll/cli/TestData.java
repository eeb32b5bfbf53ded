package dev.unroll.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small data files for the command tests, and the options that keep a training run tiny. */
public final class TestData {
    private TestData() {
    }

    /** Options for a small, fast model on EJML. */
    public static final List<String> TINY = List.of("--backend", "ejml", "--hidden", "8", "--embed", "4",
            "--epochs", "2", "--batch", "8");

    /** Texts of a's are "vowel", texts of b's, c's and d's are "consonant": learnable from any character. */
    public static Path classification(Path dir) throws IOException {
        Random random = new Random(3);
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            boolean vowel = i % 2 == 0;
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < 3 + random.nextInt(5); j++) {
                text.append(vowel ? "aeiou".charAt(random.nextInt(5)) : "bcd".charAt(random.nextInt(3)));
            }
            tsv.append(vowel ? "vowel" : "consonant").append('\t').append(text).append('\n');
        }
        return write(dir.resolve("train.tsv"), tsv.toString());
    }

    /** Sentences whose tag is the token's kind (number or word). */
    public static Path tagging(Path dir) throws IOException {
        StringBuilder conll = new StringBuilder();
        String[][] sentences = {{"one", "2", "three"}, {"4", "five"}, {"six", "7", "8", "nine"}, {"ten"}, {"11", "twelve"}};
        for (int repeat = 0; repeat < 4; repeat++) {
            for (String[] sentence : sentences) {
                for (String token : sentence) {
                    conll.append(token).append('\t').append(Character.isDigit(token.charAt(0)) ? "NUM" : "WORD").append('\n');
                }
                conll.append('\n');
            }
        }
        return write(dir.resolve("train.conll"), conll.toString());
    }

    public static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** {@code base} then {@code more}, as one argument array. */
    public static String[] args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    public static String[] args(String command, List<String> options, String... more) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(options);
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }
}
