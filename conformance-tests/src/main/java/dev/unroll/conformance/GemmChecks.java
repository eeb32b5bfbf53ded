package dev.unroll.conformance;

import dev.unroll.api.Tensor;

/**
 * GEMM against the host oracle: every transpose combination, on shapes from 1x1 to sizes that are no
 * multiple of any block (257x129, 129x257) and sizes that are exact multiples of every block (8x8 with k = 8,
 * 64x32 with k = 256), with {@code beta == 0} over NaN (which must not propagate),
 * with other alpha and beta, and with row views and reshapes as operands.
 */
final class GemmChecks {
    private GemmChecks() {
    }

    /** {@code m, n, k} of {@code c[m, n] = op(a)[m, k] op(b)[k, n]}. */
    private record Dims(int m, int n, int k) {
        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " k=" + k;
        }
    }

    private record Scalars(double alpha, double beta, boolean nanInC) {
        @Override
        public String toString() {
            return "alpha=" + alpha + ", beta=" + beta + (nanInC ? ", NaN in c" : "");
        }
    }

    private static final Dims[] DIMS = {
        new Dims(1, 1, 1),
        new Dims(1, 9, 4),      // a row vector result
        new Dims(9, 1, 4),      // a column vector result
        new Dims(4, 6, 1),      // an outer product
        new Dims(5, 5, 5),      // square: a kernel that confuses a and its transpose still gets the shapes right
        new Dims(257, 129, 65), // no multiple of any block or warp size
        new Dims(129, 257, 257),
        // exact multiples of every block width up to their size: a loop over full blocks that stops one block early
        // (or a tail that starts one block late) is wrong only here, and right on all the sizes above
        new Dims(8, 8, 8),      // exactly one block of 8: such a loop adds nothing at all
        new Dims(64, 32, 256),
    };

    private static final Scalars[] SCALARS = {
        new Scalars(1, 0, true),       // overwrite: c's old NaN must not leak (BLAS rule)
        new Scalars(-0.75, 1.5, false),
        new Scalars(1, 1, false),      // accumulate, as gradient accumulation does
    };

    static void addTo(CheckList list) {
        addDisjointViewsOfOneTensor(list);
        for (Dims d : DIMS) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (Scalars s : SCALARS) {
                        list.add("gemm", "gemm(transA=" + transA + ", transB=" + transB + ", " + s + ") " + d,
                                (be, verify, random) -> {
                                    HostTensor a = operand(random, transA ? d.k : d.m, transA ? d.m : d.k, d.k);
                                    HostTensor b = operand(random, transB ? d.n : d.k, transB ? d.k : d.n, d.k);
                                    HostTensor c = s.nanInC ? HostTensor.filled(Double.NaN, d.m, d.n)
                                            : random.uniform(-1, 1, d.m, d.n);
                                    double alpha = list.round(s.alpha);
                                    double beta = list.round(s.beta);
                                    try (Tensor ta = a.upload(be, list.dtype());
                                         Tensor tb = b.upload(be, list.dtype());
                                         Tensor tc = c.upload(be, list.dtype())) {
                                        be.gemm(transA, transB, alpha, ta, tb, beta, tc);
                                        verify.tensor("c", HostReference.gemm(transA, transB, alpha, a, b, beta, c),
                                                tc);
                                        verify.unchanged("a", a, ta);
                                        verify.unchanged("b", b, tb);
                                    }
                                });
                    }
                }
            }
        }
        for (boolean trans : new boolean[] {false, true}) {
            list.add("gemm", "gemm(transA=" + trans + ", transB=" + trans
                    + ", alpha=1, beta=0.5) on row views and a reshape m=6 n=7 k=5", (be, verify, random) -> {
                        int m = 6;
                        int n = 7;
                        int k = 5;
                        // a is rows 2.. of a taller tensor, b a reshaped flat vector, c rows 1.. of a taller
                        // tensor whose other rows must stay as they were
                        HostTensor aBase = operand(random, (trans ? k : m) + 3, trans ? m : k, k);
                        HostTensor bFlat = operand(random, 1, k * n, k).reshape(k * n);
                        HostTensor cBase = random.uniform(-1, 1, m + 4, n);
                        double beta = list.round(0.5);
                        try (Tensor ta = aBase.upload(be, list.dtype());
                             Tensor tb = bFlat.upload(be, list.dtype());
                             Tensor tc = cBase.upload(be, list.dtype());
                             Tensor aView = be.viewRows(ta, 2, trans ? k : m);
                             Tensor bView = be.reshape(tb, trans ? n : k, trans ? k : n);
                             Tensor cView = be.viewRows(tc, 1, m)) {
                            be.gemm(trans, trans, 1, aView, bView, beta, cView);
                            HostTensor product = HostReference.gemm(trans, trans, 1, aBase.rows(2, trans ? k : m),
                                    bFlat.reshape(trans ? n : k, trans ? k : n), beta, cBase.rows(1, m));
                            verify.tensor("c view", product, cView);
                            verify.tensor("c's base", cBase.withRows(1, product), tc);
                        }
                    });
        }
    }

    /**
     * A recurrent loop keeps every step's state in one tensor and multiplies one block of rows into the next:
     * a GEMM whose a and c are disjoint row views of one tensor is legal ("must not overlap" means elements).
     */
    private static void addDisjointViewsOfOneTensor(CheckList list) {
        list.add("gemm", "gemm(a = rows 0..3, c = rows 4..7 of one tensor, transB, beta=1)", (be, verify, random) -> {
            int m = 4;
            int h = 6;
            HostTensor states = random.uniform(-1, 1, 2 * m, h);
            HostTensor w = operand(random, h, h, h);
            try (Tensor ts = states.upload(be, list.dtype());
                 Tensor tw = w.upload(be, list.dtype());
                 Tensor previous = be.viewRows(ts, 0, m);
                 Tensor next = be.viewRows(ts, m, m)) {
                be.gemm(false, true, 1, previous, tw, 1, next);
                HostTensor product = HostReference.gemm(false, true, 1, states.rows(0, m), w, 1, states.rows(m, m));
                verify.tensor("c rows", product, next);
                verify.tensor("the whole tensor (a's rows unchanged)", states.withRows(m, product), ts);
            }
        });
    }

    /** Random entries scaled by {@code 1/sqrt(k)} so every product stays of order one whatever k is. */
    private static HostTensor operand(RandomData random, int rows, int cols, int k) {
        double scale = 1 / Math.sqrt(k);
        return random.uniform(-scale, scale, rows, cols);
    }
}
