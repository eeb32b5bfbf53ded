package dev.unroll.conformance;

import dev.unroll.api.Tensor;

/**
 * Embedding lookups: {@code gatherRows} and {@code scatterAddRows}, with repeated indices (which must
 * accumulate), the first and last rows of the table, a one-row table, and views.
 */
final class EmbeddingChecks {
    private EmbeddingChecks() {
    }

    /** Table rows, table cols, index count. */
    private static final int[][] CASES = {{1, 1, 1}, {1, 5, 4}, {10, 1, 7}, {50, 33, 64}, {300, 129, 257}};

    static void addTo(CheckList list) {
        for (int[] c : CASES) {
            int rows = c[0];
            int cols = c[1];
            int count = c[2];
            String s = "table [" + rows + ", " + cols + "], " + count + " indices with repeats";
            list.add("embeddings", "gatherRows " + s, (be, verify, random) -> {
                HostTensor table = random.uniform(-1, 1, rows, cols);
                int[] indices = indices(random, count, rows);
                try (Tensor tt = table.upload(be, list.dtype());
                     Tensor out = HostTensor.filled(Double.NaN, count, cols).upload(be, list.dtype())) {
                    be.gatherRows(tt, indices, out);
                    verify.tensor("out", HostReference.gatherRows(table, indices), out);
                    verify.unchanged("table", table, tt);
                }
            });
            list.add("embeddings", "scatterAddRows " + s, (be, verify, random) -> {
                HostTensor table = random.uniform(-1, 1, rows, cols);
                HostTensor src = random.uniform(-1, 1, count, cols);
                int[] indices = indices(random, count, rows);
                try (Tensor tt = table.upload(be, list.dtype()); Tensor ts = src.upload(be, list.dtype())) {
                    be.scatterAddRows(ts, indices, tt);
                    verify.tensor("table", HostReference.scatterAddRows(src, indices, table), tt);
                    verify.unchanged("src", src, ts);
                }
            });
        }
        list.add("embeddings", "gatherRows into and scatterAddRows from a step of a [T, B, E] sequence",
                (be, verify, random) -> {
                    HostTensor table = random.uniform(-1, 1, 9, 4);
                    HostTensor seq = random.uniform(-1, 1, 3, 2, 4);
                    int[] indices = {8, 8};
                    try (Tensor tt = table.upload(be, list.dtype()); Tensor ts = seq.upload(be, list.dtype());
                         Tensor step = be.viewRows(ts, 2, 2)) {
                        be.gatherRows(tt, indices, step);
                        HostTensor gathered = HostReference.gatherRows(table, indices);
                        verify.tensor("sequence", seq.reshape(6, 4).withRows(2, gathered).reshape(3, 2, 4), ts);
                        be.scatterAddRows(step, indices, tt);
                        verify.tensor("table", HostReference.scatterAddRows(gathered, indices, table), tt);
                    }
                });
    }

    /** Random indices that include the first and last row and, when there is room, a repeat. */
    private static int[] indices(RandomData random, int count, int rows) {
        int[] indices = random.indices(count, rows);
        indices[0] = rows - 1;
        if (count > 1) {
            indices[count - 1] = 0;
        }
        if (count > 2) {
            indices[1] = rows - 1;
        }
        return indices;
    }
}
