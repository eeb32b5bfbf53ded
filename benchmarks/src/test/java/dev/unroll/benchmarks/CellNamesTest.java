package dev.unroll.benchmarks;

import dev.unroll.cells.CellType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cell names both command lines read, {@code unroll-bench --cell} and {@code unroll train --cell}. */
class CellNamesTest {

    @Test
    void rnnIsTheTanhRnnAndEveryIdIsItsCell() {
        assertEquals(CellType.RNN_TANH, CellNames.parse("rnn"));
        assertEquals(CellType.GRU, CellNames.parse(" GRU "));
        for (CellType cell : CellType.values()) {
            assertEquals(cell, CellNames.parse(cell.id()));
            assertEquals(cell, CellNames.parse(CellNames.shortName(cell)));
        }
        assertEquals("rnn", CellNames.shortName(CellType.RNN_TANH));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellNames.parse("transformer"));
        assertTrue(e.getMessage().contains("rnn_tanh, rnn_relu, lstm, gru") && e.getMessage().contains("or rnn"),
                e.getMessage());
        assertThrows(CommandLine.TypeConversionException.class, () -> new CellNames().convert("transformer"));
    }
}
