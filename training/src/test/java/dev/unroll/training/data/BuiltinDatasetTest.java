package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuiltinDatasetTest {

    @Test
    void namesAfterThePrefixSelectADataSet() {
        assertEquals(Optional.of(BuiltinDataset.REBER), BuiltinDataset.fromSpec("builtin:reber"));
        assertEquals(Optional.of(BuiltinDataset.DATES), BuiltinDataset.fromSpec("builtin:DATES"));
        assertEquals("regress", BuiltinDataset.ADDING.task());
    }

    @Test
    void aFileNameIsNotABuiltin() {
        assertTrue(BuiltinDataset.fromSpec("data/train.tsv").isEmpty());
    }

    @Test
    void anUnknownBuiltinListsTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BuiltinDataset.fromSpec("builtin:mnist"));

        assertTrue(error.getMessage().contains("mnist"));
        assertTrue(error.getMessage().contains("builtin:adding, builtin:reber, builtin:dates"), error.getMessage());
    }
}
