package dev.unroll.cells;

/**
 * The parameters of one layer and direction. Biases are null without {@code bias}; the initial states are null
 * unless the configuration learns them ({@code initialCell} only for LSTM).
 */
record DirectionParameters(int layer, int direction, Parameter weightIh, Parameter weightHh, Parameter biasIh,
                           Parameter biasHh, Parameter initialHidden, Parameter initialCell) {

    /** Whether this is the reverse-time direction, which reads step {@code T-1} first. */
    boolean reverse() {
        return direction == 1;
    }
}
