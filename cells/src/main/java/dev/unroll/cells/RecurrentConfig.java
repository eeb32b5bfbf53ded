package dev.unroll.cells;

import java.util.Objects;

/**
 * The shape and options of a recurrent layer stack, as PyTorch's {@code nn.RNN / nn.LSTM / nn.GRU}
 * constructor arguments plus the choices PyTorch lacks (learned initial state, the original GRU form).
 * Immutable; the {@code with...} methods return modified copies. Invalid values are rejected on
 * construction with a message naming the field.
 *
 * @param cell                the cell type
 * @param inputSize           features per time step of the input {@code x [T, B, inputSize]}
 * @param hiddenSize          state size {@code H} of every layer and direction
 * @param numLayers           stacked layers; layer {@code k > 0} reads the output {@code [T, B, D*H]} of layer {@code k-1}
 * @param bidirectional       whether each layer also runs a reverse-time direction ({@code D = 2})
 * @param bias                whether the layers have {@code bias_ih} and {@code bias_hh}
 * @param dropout             probability of zeroing an element of a layer's output before the next layer reads
 *                            it, in training only (never after the last layer); 0 disables it
 * @param dropoutSeed         seed of the dropout masks, which are drawn on the host so every backend draws the same
 * @param learnedInitialState whether the zero initial state is replaced by trainable parameters
 *                            {@code h0_l{k}[_reverse]} (and {@code c0_...} for LSTM), shape {@code [H]} each
 * @param gruForm             the GRU variant; ignored by other cells
 */
public record RecurrentConfig(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                              boolean bias, double dropout, long dropoutSeed, boolean learnedInitialState,
                              GruForm gruForm) {

    public RecurrentConfig {
        Objects.requireNonNull(cell, "cell must not be null");
        Objects.requireNonNull(gruForm, "gruForm must not be null (use GruForm.PYTORCH)");
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be >= 1, was " + inputSize);
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be >= 1, was " + hiddenSize);
        }
        if (numLayers < 1) {
            throw new IllegalArgumentException("numLayers must be >= 1, was " + numLayers);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
        }
        // A tensor holds at most Integer.MAX_VALUE elements; past that the weights' shapes overflow and the first
        // allocation fails with a negative size that names none of these fields.
        long rows = (long) cell.gateCount() * hiddenSize;
        long upperInput = numLayers > 1 ? (bidirectional ? 2L : 1L) * hiddenSize : 0;
        long widest = Math.max(Math.max(inputSize, hiddenSize), upperInput);
        if (rows * widest > Integer.MAX_VALUE) {
            // a width that is neither size given needs saying where it comes from
            String why = upperInput > Math.max(inputSize, hiddenSize)
                    ? "; layers above the first read 2 x hiddenSize" : "";
            throw new IllegalArgumentException("inputSize " + inputSize + " and hiddenSize " + hiddenSize + " need a "
                    + "weight of " + rows + " x " + widest + " elements (" + cell + why + "), more than a tensor "
                    + "holds (" + Integer.MAX_VALUE + ")");
        }
    }

    /** One unidirectional layer with biases, no dropout, zero initial state, PyTorch's GRU form. */
    public static RecurrentConfig of(CellType cell, int inputSize, int hiddenSize) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, 1, false, true, 0.0, 0L, false, GruForm.PYTORCH);
    }

    public RecurrentConfig withLayers(int layers) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, layers, bidirectional, bias, dropout, dropoutSeed,
                learnedInitialState, gruForm);
    }

    public RecurrentConfig withBidirectional(boolean value) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, numLayers, value, bias, dropout, dropoutSeed,
                learnedInitialState, gruForm);
    }

    public RecurrentConfig withBias(boolean value) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, value, dropout, dropoutSeed,
                learnedInitialState, gruForm);
    }

    /** Dropout probability {@code p} between layers, masks drawn from {@code seed}. */
    public RecurrentConfig withDropout(double p, long seed) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, p, seed,
                learnedInitialState, gruForm);
    }

    public RecurrentConfig withLearnedInitialState(boolean value) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, dropoutSeed,
                value, gruForm);
    }

    public RecurrentConfig withGruForm(GruForm form) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, dropoutSeed,
                learnedInitialState, form);
    }

    /** {@code D}: 2 if bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Features per step of the output: {@code D * hiddenSize}. */
    public int outputSize() {
        return directions() * hiddenSize;
    }

    /** Rows of the initial and final state tensors {@code [numLayers * D, B, H]}: {@code numLayers * D}. */
    public int stateLayers() {
        return numLayers * directions();
    }

    /** Input features of layer {@code layer}: {@code inputSize} for the first, {@code D * H} above it. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : outputSize();
    }
}
