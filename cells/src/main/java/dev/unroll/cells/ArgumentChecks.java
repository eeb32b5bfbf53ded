package dev.unroll.cells;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.Arrays;

/** The argument checks of {@link RecurrentStack}: each message names the argument and the shape it must have. */
final class ArgumentChecks {
    private ArgumentChecks() {
    }

    /** Checks {@code x [T, B, inputSize]} and returns {@code {T, B}}. */
    static int[] input(RecurrentConfig config, DType dtype, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException("x must not be null; expected shape [T, B, " + config.inputSize() + "]");
        }
        open("x", x);
        int[] shape = x.shape();
        if (shape.length != 3 || shape[2] != config.inputSize()) {
            throw new IllegalArgumentException("x has shape " + Arrays.toString(shape)
                    + " but expected [T, B, " + config.inputSize() + "] (time-major, inputSize "
                    + config.inputSize() + ")");
        }
        dtype("x", x, dtype);
        return new int[] {shape[0], shape[1]};
    }

    /** Checks an optional state tensor {@code [L*D, B, H]}. */
    static void state(String name, Tensor t, RecurrentConfig config, DType dtype, int batch) {
        if (t == null) {
            return;
        }
        open(name, t);
        int[] expected = {config.stateLayers(), batch, config.hiddenSize()};
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(t.shape()) + " but expected "
                    + Arrays.toString(expected) + " ([numLayers*directions, B, hiddenSize])");
        }
        dtype(name, t, dtype);
    }

    /** Rejects a cell-state tensor for cells that have none. */
    static void cellOnlyForLstm(String name, Tensor t, RecurrentConfig config) {
        if (t != null && config.cell() != CellType.LSTM) {
            throw new IllegalArgumentException(name + " must be null for " + config.cell()
                    + ": only LSTM has a cell state");
        }
    }

    /** Checks an optional output gradient {@code [T, B, D*H]}. */
    static void output(String name, Tensor t, RecurrentConfig config, DType dtype, int steps, int batch) {
        if (t == null) {
            return;
        }
        open(name, t);
        int[] expected = {steps, batch, config.outputSize()};
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(t.shape()) + " but expected "
                    + Arrays.toString(expected) + " ([T, B, directions*hiddenSize], like the pass's output)");
        }
        dtype(name, t, dtype);
    }

    /** Checks optional lengths: {@code B} values in {@code 1..T}. */
    static void lengths(int[] lengths, int steps, int batch) {
        if (lengths == null) {
            return;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " values but expected " + batch
                    + " (one per batch entry of x [T=" + steps + ", B=" + batch + ", ...])");
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " but every length must be in 1.."
                        + steps + " (T of x)");
            }
        }
    }

    /**
     * Rejects a closed argument up front, by its name: else the first backend operation that reads it fails naming
     * its own parameter ("copyRows: tensor 'src' ... is closed"), which does not say which argument it was.
     */
    private static void open(String name, Tensor t) {
        if (t.isClosed()) {
            throw new IllegalStateException(name + " " + Tensor.describe(t) + " is closed; pass an open tensor");
        }
    }

    private static void dtype(String name, Tensor t, DType dtype) {
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + " has dtype " + t.dtype() + " but this stack computes in " + dtype);
        }
    }
}
