package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void alignsColumnsToTheWidestCellWithoutTrailingSpaces() {
        String table = new TextTable("cell", "mse").row("lstm", 0.5).row("rnn (tanh)", 1).toString();

        assertEquals("""
                cell        mse
                ----------  ---
                lstm        0.5
                rnn (tanh)  1
                """, table);
    }

    @Test
    void aRowMustFitTheHeader() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("a", "b").row("only one"));
    }
}
