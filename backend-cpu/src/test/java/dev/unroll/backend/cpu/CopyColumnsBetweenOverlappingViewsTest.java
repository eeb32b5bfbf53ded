package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@code copyColumns} between two views of one storage whose rows have different lengths: {@code dst[r, j] =
 * src[r, j]} must read src as it was before the call. Copied row by row in place, dst's row 1 overwrote src's row 2
 * before it was read (the EJML backend copies from a snapshot and was right). Exact: copies do no arithmetic.
 */
class CopyColumnsBetweenOverlappingViewsTest {
    private final CpuBackend backend = new CpuBackend(2);

    @AfterEach
    void close() {
        backend.close();
    }

    private static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    /** {@code dst[r, dstCol + j] = src[r, srcCol + j]} over a flat storage, src and dst given by offset and row length. */
    private static double[] expected(double[] storage, int srcOffset, int srcCols, int srcCol, int dstOffset,
                                     int dstCols, int dstCol, int rows, int count) {
        double[] before = storage.clone();
        double[] after = storage.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < count; j++) {
                after[dstOffset + r * dstCols + dstCol + j] = before[srcOffset + r * srcCols + srcCol + j];
            }
        }
        return after;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fromNarrowRowsIntoWideRowsOfTheSameStorage(DType dtype) {
        double[] values = ramp(48);
        Tensor storage = backend.upload(dtype, values, 48);
        Tensor wide = backend.reshape(storage, 4, 12);                           // rows 12 apart
        Tensor narrow = backend.viewRows(backend.reshape(storage, 8, 6), 0, 4);  // rows 6 apart, same start
        backend.copyColumns(narrow, 0, wide, 0, 6);
        assertArrayEquals(expected(values, 0, 6, 0, 0, 12, 0, 4, 6), storage.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fromWideRowsIntoNarrowRowsOfTheSameStorage(DType dtype) {
        double[] values = ramp(48);
        Tensor storage = backend.upload(dtype, values, 48);
        Tensor wide = backend.reshape(storage, 4, 12);
        Tensor narrow = backend.viewRows(backend.reshape(storage, 8, 6), 0, 4);
        backend.copyColumns(wide, 3, narrow, 1, 5);
        assertArrayEquals(expected(values, 0, 12, 3, 0, 6, 1, 4, 5), storage.toDoubleArray());
    }

    @Test
    void withinOneTensorColumnsShiftAsIfCopiedFromASnapshot() {
        // The common overlap (same tensor, same layout) stays on the direct per-row copy; it must still be exact.
        double[] values = ramp(40);
        Tensor t = backend.upload(DType.FLOAT32, values, 5, 8);
        backend.copyColumns(t, 0, t, 2, 6);
        assertArrayEquals(expected(values, 0, 8, 0, 0, 8, 2, 5, 6), t.toDoubleArray());
    }
}
