package dev.unroll.conformance;

import dev.unroll.api.DType;

import java.util.List;

/**
 * Every primitive operation of the SPI against the float64 host oracle ({@link HostReference}): memory and
 * views, GEMM, element-wise arithmetic, activations, broadcasts, reductions, embeddings and the loss.
 */
public final class PrimitiveChecks {
    private PrimitiveChecks() {
    }

    /** The checks of one target in one dtype, compared with {@code tolerance}. */
    public static List<Check> all(KitTarget target, DType dtype, Tolerance tolerance) {
        CheckList list = new CheckList(target, dtype, tolerance);
        MemoryChecks.addTo(list);
        GemmChecks.addTo(list);
        ElementwiseChecks.addTo(list);
        ActivationChecks.addTo(list);
        BroadcastChecks.addTo(list);
        ReductionChecks.addTo(list);
        EmbeddingChecks.addTo(list);
        LossChecks.addTo(list);
        return list.checks();
    }
}
