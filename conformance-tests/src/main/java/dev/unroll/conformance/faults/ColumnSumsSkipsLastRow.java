package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** Column sums whose row loop stops one early ({@code i < rows - 1}): bias gradients miss a batch row. */
final class ColumnSumsSkipsLastRow extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("column-sums-skip-last-row",
            "columnSums stops one row early (an off-by-one loop bound)", ColumnSumsSkipsLastRow::new);

    ColumnSumsSkipsLastRow(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void columnSums(Tensor m, double beta, Tensor out) {
        if (m.rows() == 1) {
            delegate.scale(beta, out, out); // the loop runs zero times
            return;
        }
        try (Tensor allButLast = delegate.viewRows(m, 0, m.rows() - 1)) {
            delegate.columnSums(allButLast, beta, out);
        }
    }
}
