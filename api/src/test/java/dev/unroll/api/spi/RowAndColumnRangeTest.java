package dev.unroll.api.spi;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The row and column ranges of {@code viewRows}, {@code copyRows} and {@code copyColumns} are checked before a
 * backend sees them, also where {@code first + count} does not fit an int: that sum wrapped to a negative number
 * once, passed the check, and the backend made a view at element offset -2 (on a GPU, a pointer before the
 * allocation) or copied from there.
 */
class RowAndColumnRangeTest {
    private final ArrayBackend backend = new ArrayBackend();
    private final Tensor matrix = backend.upload(DType.FLOAT64, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
    private final Tensor target = backend.allocate(DType.FLOAT64, 4, 2);

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aRowViewPastTheLastRowIsRefusedEvenWhereTheEndOverflows() {
        assertMessage("viewRows: rows 2147483647..2147483647 out of range for [4, 2] (4)",
                () -> backend.viewRows(matrix, Integer.MAX_VALUE, 1));
        assertMessage("viewRows: rows 2147483646..2147483647 out of range for [4, 2] (4)",
                () -> backend.viewRows(matrix, Integer.MAX_VALUE - 1, 2));
    }

    @Test
    void aRowCopyPastTheLastRowIsRefusedEvenWhereTheEndOverflows() {
        assertMessage("copyRows: src rows 2147483647..2147483647 out of range for [4, 2] (4)",
                () -> backend.copyRows(matrix, Integer.MAX_VALUE, target, 0, 1));
        assertMessage("copyRows: dst rows 2147483647..2147483647 out of range for [4, 2] (4)",
                () -> backend.copyRows(matrix, 0, target, Integer.MAX_VALUE, 1));
        assertArrayEquals(new double[8], target.toDoubleArray(), "a refused copy writes nothing");
    }

    @Test
    void aColumnCopyPastTheLastColumnIsRefusedEvenWhereTheEndOverflows() {
        assertMessage("copyColumns: src columns 2147483647..2147483647 out of range for [4, 2] (2)",
                () -> backend.copyColumns(matrix, Integer.MAX_VALUE, target, 0, 1));
        assertMessage("copyColumns: dst columns 2147483647..2147483647 out of range for [4, 2] (2)",
                () -> backend.copyColumns(matrix, 0, target, Integer.MAX_VALUE, 1));
        assertArrayEquals(new double[8], target.toDoubleArray(), "a refused copy writes nothing");
    }

    @Test
    void rangesThatFitStillWork() {
        // the fixed check must not refuse the last row or column
        assertArrayEquals(new double[] {7, 8}, backend.viewRows(matrix, 3, 1).toDoubleArray());
        backend.copyColumns(matrix, 1, target, 0, 1);
        assertArrayEquals(new double[] {2, 0, 4, 0, 6, 0, 8, 0}, target.toDoubleArray());
    }

    private static void assertMessage(String expected, Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}
