package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReberGrammarTest {

    @Test
    void acceptsTheTextbookStrings() {
        for (String s : new String[] {"BTXSE", "BPVVE", "BTSSXXTVVE", "BPTVPSE", "BTXXVPSE", "BPTTTVPXVVE"}) {
            assertTrue(ReberGrammar.isValidReber(s), s);
        }
        assertTrue(ReberGrammar.isValidEmbedded("BTBTXSETE"));
        assertTrue(ReberGrammar.isValidEmbedded("BPBPVVEPE"));
    }

    @Test
    void rejectsBrokenStrings() {
        for (String s : new String[] {"", "BE", "BTXS", "TXSE", "BTXSEE", "BTSE", "BPVPE", "BTXSXE"}) {
            assertFalse(ReberGrammar.isValidReber(s), s);
        }
        assertFalse(ReberGrammar.isValidEmbedded("BTBTXSEPE"), "second symbol must repeat before E");
        assertFalse(ReberGrammar.isValidEmbedded("BXBTXSEXE"), "branch must be T or P");
        assertFalse(ReberGrammar.isValidEmbedded("BTBTXSTE"), "inner string must be valid");
    }

    @Test
    void everyGeneratedStringIsValidAndBothBranchesOccur() {
        Random random = new Random(3);
        boolean sawT = false;
        boolean sawP = false;
        for (int i = 0; i < 2000; i++) {
            String s = ReberGrammar.generateEmbedded(random);
            assertTrue(ReberGrammar.isValidEmbedded(s), s);
            sawT |= s.charAt(1) == 'T';
            sawP |= s.charAt(1) == 'P';
            assertTrue(s.chars().allMatch(c -> ReberGrammar.ALPHABET.indexOf(c) >= 0), s);
        }
        assertTrue(sawT && sawP);
    }
}
