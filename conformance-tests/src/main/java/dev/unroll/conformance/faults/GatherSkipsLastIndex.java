package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

import java.util.Arrays;

/** A gather whose loop stops one index early: the last output row keeps whatever it held. */
final class GatherSkipsLastIndex extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gather-skips-last-index",
            "gatherRows leaves the last output row unwritten (an off-by-one loop bound)", GatherSkipsLastIndex::new);

    GatherSkipsLastIndex(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gatherRows(Tensor table, int[] indices, Tensor out) {
        if (indices.length < 2) {
            return; // the loop runs zero times
        }
        try (Tensor allButLast = delegate.viewRows(out, 0, indices.length - 1)) {
            delegate.gatherRows(table, Arrays.copyOf(indices, indices.length - 1), allButLast);
        }
    }
}
