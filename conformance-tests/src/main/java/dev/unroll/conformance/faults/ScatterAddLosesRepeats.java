package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * A scatter-add parallelised over indices without atomics: rows hit by several indices race, and only the
 * last write survives, so repeated words get one update instead of the sum.
 */
final class ScatterAddLosesRepeats extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("scatter-add-loses-repeats",
            "scatterAddRows keeps only the last of repeated indices (a race without atomics)",
            ScatterAddLosesRepeats::new);

    ScatterAddLosesRepeats(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void scatterAddRows(Tensor src, int[] indices, Tensor table) {
        Map<Integer, Integer> lastWriter = new HashMap<>();
        for (int i = 0; i < indices.length; i++) {
            lastWriter.put(indices[i], i);
        }
        for (Map.Entry<Integer, Integer> e : lastWriter.entrySet()) {
            try (Tensor row = delegate.viewRows(src, e.getValue(), 1)) {
                delegate.scatterAddRows(row, new int[] {e.getKey()}, table);
            }
        }
    }
}
