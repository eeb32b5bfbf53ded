package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** A column copy that forgets {@code srcCol}: it always reads from column 0 of the source. */
final class CopyColumnsIgnoresSourceOffset extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("copy-columns-ignores-source-offset",
            "copyColumns reads from column 0 of src whatever srcCol is", CopyColumnsIgnoresSourceOffset::new);

    CopyColumnsIgnoresSourceOffset(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void copyColumns(Tensor src, int srcCol, Tensor dst, int dstCol, int count) {
        delegate.copyColumns(src, 0, dst, dstCol, count);
    }
}
