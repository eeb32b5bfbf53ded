package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsClassificationTsvSkippingBlankLines() throws IOException {
        Path file = write("c.tsv", "pos\tgreat film\n\nneg\tdull, too long\r\n");

        List<LabeledText> examples = ClassificationReader.read(file);

        assertEquals(List.of(new LabeledText("pos", "great film"), new LabeledText("neg", "dull, too long")), examples);
    }

    @Test
    void aClassificationLineWithoutTabNamesFileLineAndFormat() throws IOException {
        Path file = write("c.tsv", "pos\tgood\nneg bad\n");

        DataFormatException error = assertThrows(DataFormatException.class, () -> ClassificationReader.read(file));

        assertEquals(2, error.line());
        assertTrue(error.getMessage().startsWith(file + ":2: "), error.getMessage());
        assertTrue(error.getMessage().contains("label<TAB>text"), error.getMessage());
        assertTrue(error.getMessage().contains("neg bad"), error.getMessage());
    }

    @Test
    void aLineWithAnEmptyFieldOrTwoTabsIsMalformed() throws IOException {
        Path emptyText = write("e.tsv", "pos\t\n");
        Path twoTabs = write("t.tsv", "a\tb\n\nx\ty\tz\n");

        assertTrue(assertThrows(DataFormatException.class, () -> ClassificationReader.read(emptyText))
                .getMessage().contains("text is empty"));
        DataFormatException error = assertThrows(DataFormatException.class, () -> ParallelTextReader.read(twoTabs));
        assertEquals(3, error.line());
        assertTrue(error.getMessage().contains("source<TAB>target"), error.getMessage());
    }

    @Test
    void anEmptyOrBlankFileGetsAClearMessage() throws IOException {
        Path empty = write("empty.tsv", "");
        Path blank = write("blank.txt", " \n\n");

        DataFormatException first = assertThrows(DataFormatException.class, () -> ClassificationReader.read(empty));
        DataFormatException second = assertThrows(DataFormatException.class, () -> TextCorpusReader.readText(blank));

        assertTrue(first.getMessage().contains(empty.toString()) && first.getMessage().contains("empty"));
        assertTrue(second.getMessage().contains("empty"), second.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.tsv");

        DataFormatException error = assertThrows(DataFormatException.class, () -> ParallelTextReader.read(missing));

        assertTrue(error.getMessage().contains("nope.tsv") && error.getMessage().contains("no such file"));
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLine() throws IOException {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xe9, '\n'});

        DataFormatException error = assertThrows(DataFormatException.class, () -> TextCorpusReader.readText(file));

        assertEquals(2, error.line());
        assertTrue(error.getMessage().contains("UTF-8"), error.getMessage());
    }

    @Test
    void readsCoNllSentencesSeparatedByBlankLines() throws IOException {
        Path file = write("t.conll", "the\tDET\ncat\tNOUN\n\n\n\ndogs\tNOUN\nbark\tVERB\n");

        List<TaggedSentence> sentences = TaggingReader.read(file);

        assertEquals(2, sentences.size());
        assertEquals(List.of("the", "cat"), sentences.get(0).tokens());
        assertEquals(List.of("NOUN", "VERB"), sentences.get(1).tags());
    }

    @Test
    void aCoNllLineWithoutTagNamesItsLine() throws IOException {
        Path file = write("t.conll", "the\tDET\n\ncat\n");

        DataFormatException error = assertThrows(DataFormatException.class, () -> TaggingReader.read(file));

        assertTrue(error.getMessage().startsWith(file + ":3: expected 'token<TAB>tag'"), error.getMessage());
    }

    @Test
    void readsParallelText() throws IOException {
        Path file = write("p.tsv", "march 3, 1998\t1998-03-03\n");

        assertEquals(List.of(new TextPair("march 3, 1998", "1998-03-03")), ParallelTextReader.read(file));
    }

    @Test
    void readsACorpusWholeOrByLineWithoutByteOrderMark() throws IOException {
        Path file = write("lm.txt", "\uFEFFhello\r\n\nworld\n");

        assertEquals("hello\n\nworld\n", TextCorpusReader.readText(file));
        assertEquals(List.of("hello", "world"), TextCorpusReader.readLines(file));
    }
}
