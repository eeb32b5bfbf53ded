package dev.unroll.conformance;

import dev.unroll.api.Tensor;

/**
 * Row-vector broadcast, column-vector scaling and column sums (the bias gradient), on edge shapes, with
 * vectors given as {@code [n]} or as a one-row matrix, in place, on row views, and with every beta.
 */
final class BroadcastChecks {
    private BroadcastChecks() {
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {37, 29}, {257, 129}, {129, 257}};

    static void addTo(CheckList list) {
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            String s = "[" + rows + ", " + cols + "]";
            for (boolean inPlace : new boolean[] {false, true}) {
                list.add("broadcast", "addRowVector " + s + " + row [" + cols + "]" + (inPlace ? ", in place" : ""),
                        (be, verify, random) -> {
                            HostTensor m = random.uniform(-2, 2, rows, cols);
                            HostTensor row = random.uniform(-2, 2, cols);
                            try (Tensor tm = m.upload(be, list.dtype()); Tensor tr = row.upload(be, list.dtype());
                                 Tensor out = inPlace ? tm : be.allocate(list.dtype(), rows, cols)) {
                                be.addRowVector(tm, tr, out);
                                verify.tensor("out", HostReference.addRowVector(m, row), out);
                            }
                        });
                list.add("broadcast", "mulColumnVector " + s + " * column [" + rows + ", 1]"
                        + (inPlace ? ", in place" : ""), (be, verify, random) -> {
                            HostTensor m = random.uniform(-2, 2, rows, cols);
                            HostTensor column = random.uniform(-2, 2, rows, 1);
                            try (Tensor tm = m.upload(be, list.dtype()); Tensor tc = column.upload(be, list.dtype());
                                 Tensor out = inPlace ? tm : be.allocate(list.dtype(), rows, cols)) {
                                be.mulColumnVector(tm, tc, out);
                                verify.tensor("out", HostReference.mulColumnVector(m, column), out);
                            }
                        });
            }
            for (double betaValue : new double[] {0, 1, -0.5}) {
                list.add("broadcast", "columnSums(beta=" + betaValue + ") of " + s, (be, verify, random) -> {
                    double beta = list.round(betaValue);
                    HostTensor m = random.uniform(-1, 1, rows, cols);
                    HostTensor out = random.uniform(-1, 1, cols);
                    try (Tensor tm = m.upload(be, list.dtype()); Tensor to = out.upload(be, list.dtype())) {
                        be.columnSums(tm, beta, to);
                        verify.tensor("out", HostReference.columnSums(m, beta, out), to);
                        verify.unchanged("m", m, tm);
                    }
                });
            }
        }
        list.add("broadcast", "addRowVector with a [1, 6] row, mulColumnVector with a [5] column, on row views",
                (be, verify, random) -> {
                    HostTensor base = random.uniform(-2, 2, 8, 6);
                    HostTensor row = random.uniform(-2, 2, 1, 6);
                    HostTensor column = random.uniform(-2, 2, 5);
                    try (Tensor tb = base.upload(be, list.dtype()); Tensor view = be.viewRows(tb, 2, 5);
                         Tensor tr = row.upload(be, list.dtype()); Tensor tc = column.upload(be, list.dtype())) {
                        be.addRowVector(view, tr, view);
                        HostTensor added = HostReference.addRowVector(base.rows(2, 5), row);
                        verify.tensor("base after addRowVector on rows 2..6", base.withRows(2, added), tb);
                        be.mulColumnVector(view, tc, view);
                        HostTensor scaled = HostReference.mulColumnVector(added, column);
                        verify.tensor("base after mulColumnVector on rows 2..6", base.withRows(2, scaled), tb);
                    }
                });
        list.add("broadcast", "columnSums(beta=1) of rows 3..9 of a [T*B, H] sequence into a [1, 4] view",
                (be, verify, random) -> {
                    HostTensor seq = random.uniform(-1, 1, 12, 4);
                    HostTensor outBase = random.uniform(-1, 1, 3, 4);
                    try (Tensor ts = seq.upload(be, list.dtype()); Tensor rows = be.viewRows(ts, 3, 7);
                         Tensor to = outBase.upload(be, list.dtype()); Tensor outRow = be.viewRows(to, 1, 1)) {
                        be.columnSums(rows, 1, outRow);
                        HostTensor sums = HostReference.columnSums(seq.rows(3, 7), 1, outBase.rows(1, 1));
                        verify.tensor("out's base", outBase.withRows(1, sums), to);
                    }
                });
    }
}
