package dev.unroll.cli.task;

import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;

/**
 * The model options of {@code unroll train}: cell, layers, sizes and direction.
 *
 * @param embed embedding width for token inputs
 */
public record ModelShape(CellType cell, int layers, int hidden, int embed, boolean bidirectional) {

    public ModelShape {
        if (layers < 1 || hidden < 1 || embed < 1) {
            throw new IllegalArgumentException("--layers, --hidden and --embed must be at least 1, were "
                    + layers + ", " + hidden + ", " + embed);
        }
    }

    /** The recurrent stack reading {@code inputSize} features per step. */
    public RecurrentConfig rnn(int inputSize) {
        return RecurrentConfig.of(cell, inputSize, hidden).withLayers(layers).withBidirectional(bidirectional);
    }
}
