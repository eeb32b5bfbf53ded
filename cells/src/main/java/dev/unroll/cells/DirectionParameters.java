package dev.unroll.cells;

import dev.unroll.api.TimeDirection;

/**
 * The parameters of one layer and direction. Biases are null without {@code bias}; the initial states are null
 * unless the configuration learns them ({@code initialCell} only for LSTM).
 */
record DirectionParameters(int layer, int direction, Parameter weightIh, Parameter weightHh, Parameter biasIh,
                           Parameter biasHh, Parameter initialHidden, Parameter initialCell) {

    /** The order of this direction's steps: direction 1 is the reverse-time one, which reads step {@code T-1} first. */
    TimeDirection time() {
        return direction == 1 ? TimeDirection.REVERSE : TimeDirection.FORWARD;
    }
}
