package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;

/**
 * A whole-sequence GRU forward (a persistent kernel, say) written for one direction only: it walks every sequence
 * from step 0, so the reverse direction of a bidirectional layer reads its inputs in the wrong order and starts
 * from block 0 of its states. Each step's arithmetic is right.
 */
final class GruSequenceForwardIgnoresDirection extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gru-sequence-forward-ignores-direction",
            "gruSequenceForward runs REVERSE as FORWARD", GruSequenceForwardIgnoresDirection::new);

    GruSequenceForwardIgnoresDirection(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gruSequenceForward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor hiddenProjection,
                                   Tensor weightHh, Tensor biasHh, Tensor states) {
        super.gruSequenceForward(TimeDirection.FORWARD, activeRows, gates, hiddenProjection, weightHh, biasHh,
                states);
    }
}
