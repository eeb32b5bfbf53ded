package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLevelTest {

    @Test
    void charactersAreCodePointsSoSurrogatePairsStayWhole() {
        List<String> tokens = TokenLevel.CHAR.tokenize("a\uD83D\uDE00b");

        assertEquals(List.of("a", "\uD83D\uDE00", "b"), tokens);
        assertEquals("a\uD83D\uDE00b", TokenLevel.CHAR.join(tokens));
    }

    @Test
    void wordsAreRunsOfNonWhitespace() {
        List<String> tokens = TokenLevel.WORD.tokenize("  the cat\tsat \n");

        assertEquals(List.of("the", "cat", "sat"), tokens);
        assertEquals("the cat sat", TokenLevel.WORD.join(tokens));
        assertTrue(TokenLevel.WORD.tokenize("   ").isEmpty());
    }

    @Test
    void parsesItsNameInAnyCaseAndRejectsOthers() {
        assertEquals(TokenLevel.WORD, TokenLevel.parse("Word"));
        assertEquals(TokenLevel.CHAR, TokenLevel.parse("char"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TokenLevel.parse("byte"));
        assertTrue(error.getMessage().contains("char, word"), error.getMessage());
    }
}
