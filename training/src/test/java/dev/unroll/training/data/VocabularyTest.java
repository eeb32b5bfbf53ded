package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void reservesPaddingAndUnknownThenSortsTheCorpusTokens() {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("c", "a"), List.of("b", "a")));

        assertEquals(List.of(Vocabulary.PAD, Vocabulary.UNKNOWN, "a", "b", "c"), vocabulary.tokens());
        assertEquals(Vocabulary.PAD_ID, vocabulary.id(Vocabulary.PAD));
        assertEquals(Vocabulary.UNKNOWN_ID, vocabulary.id(Vocabulary.UNKNOWN));
    }

    @Test
    void idsDoNotDependOnTheOrderOfExamples() {
        Vocabulary one = Vocabulary.build(List.of(List.of("x", "y"), List.of("z")));
        Vocabulary other = Vocabulary.build(List.of(List.of("z"), List.of("y", "x")));

        assertEquals(one, other);
    }

    @Test
    void extraTokensComeRightAfterTheReservedOnes() {
        Vocabulary vocabulary = Vocabulary.build(List.of("<bos>", "<eos>", "<bos>"), List.of(List.of("a")));

        assertEquals(List.of(Vocabulary.PAD, Vocabulary.UNKNOWN, "<bos>", "<eos>", "a"), vocabulary.tokens());
    }

    @Test
    void unknownTokensEncodeToTheUnknownId() {
        Vocabulary vocabulary = Vocabulary.build(List.of(TokenLevel.CHAR.tokenize("abc")));

        int[] ids = vocabulary.encode(TokenLevel.CHAR.tokenize("abz"));

        assertEquals(vocabulary.id("a"), ids[0]);
        assertEquals(vocabulary.id("b"), ids[1]);
        assertEquals(Vocabulary.UNKNOWN_ID, ids[2]);
        assertEquals(List.of("a", "b", Vocabulary.UNKNOWN), vocabulary.decode(ids));
    }

    @Test
    void roundTripsThroughItsTokenList() {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("le", "chat"), List.of("dort")));

        Vocabulary restored = Vocabulary.of(vocabulary.tokens());

        assertEquals(vocabulary, restored);
        assertArrayEquals(vocabulary.encode(List.of("chat", "dort")), restored.encode(List.of("chat", "dort")));
    }

    @Test
    void rejectsATokenListWithoutTheReservedTokensOrWithDuplicates() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a", "b")));
        assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(List.of(Vocabulary.PAD, Vocabulary.UNKNOWN, "a", "a")));
    }

    @Test
    void decodingAnIdOutsideTheVocabularyFails() {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a")));

        assertThrows(IndexOutOfBoundsException.class, () -> vocabulary.token(vocabulary.size()));
    }
}
