package dev.unroll.backend.cpu;

/**
 * How a fused step's {@code [B, H]} units are cut into tiles of about {@code chunk} units for the chunked
 * kernels of {@link Float32Kernels}: a hidden size of at least {@code chunk} is cut into column pieces of
 * one row; a smaller one is taken whole, several rows per tile, so each tile's loops still run over about
 * {@code chunk} elements (C2's vectorized main loop handles 128 floats per pass; shorter loops run mostly in
 * its scalar remainder). Within a tile, row {@code r}'s piece sits at {@code r * length(t)} of a scratch array.
 */
final class StepTiles {
    private final int batch;
    private final int hidden;
    private final int chunk;
    private final int rowsPerTile;
    private final int columnTiles;
    private final int count;

    StepTiles(int batch, int hidden, int chunk) {
        this.batch = batch;
        this.hidden = hidden;
        this.chunk = chunk;
        this.rowsPerTile = hidden >= chunk ? 1 : chunk / hidden;
        this.columnTiles = hidden >= chunk ? (hidden + chunk - 1) / chunk : 1;
        this.count = (batch + rowsPerTile - 1) / rowsPerTile * columnTiles;
    }

    /** The step's units, {@code B * H}: its work, for the decision to split it across threads. */
    long units() {
        return (long) batch * hidden;
    }

    /** The number of tiles. */
    int count() {
        return count;
    }

    /** The first batch row of tile {@code t}. */
    int firstRow(int t) {
        return t / columnTiles * rowsPerTile;
    }

    /** The batch rows of tile {@code t}. */
    int rowCount(int t) {
        return Math.min(rowsPerTile, batch - firstRow(t));
    }

    /** The first hidden unit (column) of tile {@code t}. */
    int column(int t) {
        return t % columnTiles * chunk;
    }

    /** The hidden units of tile {@code t} in each of its rows. */
    int length(int t) {
        return Math.min(chunk, hidden - column(t));
    }
}
