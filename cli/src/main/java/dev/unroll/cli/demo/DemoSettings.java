package dev.unroll.cli.demo;

import dev.unroll.cells.CellType;
import java.util.List;

/**
 * The demo's experiment: which cells to train on the adding problem and how.
 *
 * @param sequenceLength {@code T}, long enough that the vanilla RNN's gradient vanishes before the first marker
 * @param hidden         hidden size of every cell
 * @param batch          examples per training step (and per evaluation batch)
 * @param trainSteps     optimizer steps per cell, each on a fresh batch
 * @param learningRate   Adam's learning rate
 * @param clipNorm       global gradient-norm clipping threshold
 * @param evalEvery      steps between two measurements of the test MSE
 * @param testBatches    held-out batches (of {@code batch} examples) for the test MSE
 * @param seed           seeds the data and the initial weights: one seed, one result
 */
record DemoSettings(List<CellType> cells, int sequenceLength, int hidden, int batch, int trainSteps,
                    double learningRate, double clipNorm, int evalEvery, int testBatches, long seed) {

    DemoSettings {
        cells = List.copyOf(cells);
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("the demo needs at least one cell");
        }
        if (sequenceLength < 2 || hidden < 1 || batch < 1 || trainSteps < 1 || evalEvery < 1 || testBatches < 1) {
            throw new IllegalArgumentException("need --length >= 2 and --hidden, --batch, --steps, --eval-every, "
                    + "--test-batches >= 1; were " + sequenceLength + ", " + hidden + ", " + batch + ", " + trainSteps
                    + ", " + evalEvery + ", " + testBatches);
        }
        if (!(learningRate > 0) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("need --lr > 0 and --clip > 0; were " + learningRate + ", " + clipNorm);
        }
    }
}
