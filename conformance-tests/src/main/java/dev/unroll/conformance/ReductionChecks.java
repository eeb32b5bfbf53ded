package dev.unroll.conformance;

import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * The norms' reductions: {@code sumOfSquares} (accumulated in double, as the API promises) and
 * {@code maxAbs} (NaN if any element is NaN, so gradient clipping sees a broken gradient).
 */
final class ReductionChecks {
    private ReductionChecks() {
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {37, 29}, {257, 129}, {3, 4, 5}};

    static void addTo(CheckList list) {
        for (int[] shape : SHAPES) {
            String s = Arrays.toString(shape);
            list.add("reductions", "sumOfSquares " + s, (be, verify, random) -> {
                HostTensor x = random.uniform(-2, 2, shape);
                try (Tensor t = x.upload(be, list.dtype())) {
                    verify.scalar("sumOfSquares", HostReference.sumOfSquares(x), be.sumOfSquares(t));
                }
            });
            list.add("reductions", "maxAbs " + s + ", largest magnitude negative", (be, verify, random) -> {
                HostTensor x = random.uniform(-1, 1, shape);
                x.values()[x.size() - 1] = list.round(-3.5);
                try (Tensor t = x.upload(be, list.dtype())) {
                    verify.scalar("maxAbs", HostReference.maxAbs(x), be.maxAbs(t));
                }
            });
        }
        list.add("reductions", "sumOfSquares accumulates in double: 4096^2 plus 1000 ones", (be, verify, random) -> {
            // in float32, 2^24 + 1 rounds back to 2^24: a float accumulator loses all 1000 ones
            HostTensor x = HostTensor.filled(1, 1001);
            x.values()[0] = 4096;
            try (Tensor t = x.upload(be, list.dtype())) {
                verify.scalar("sumOfSquares", 16_777_216 + 1000, be.sumOfSquares(t));
            }
        });
        list.add("reductions", "sumOfSquares and maxAbs of rows 2..4 of [7, 5] (a row view)", (be, verify, random) -> {
            HostTensor x = random.uniform(-1, 1, 7, 5);
            x.set(0, 0, 100);
            x.set(6, 4, -100);
            try (Tensor t = x.upload(be, list.dtype()); Tensor view = be.viewRows(t, 2, 3)) {
                verify.scalar("sumOfSquares", HostReference.sumOfSquares(x.rows(2, 3)), be.sumOfSquares(view));
                verify.scalar("maxAbs", HostReference.maxAbs(x.rows(2, 3)), be.maxAbs(view));
            }
        });
        for (int position : new int[] {0, 17, 34}) {
            list.add("reductions", "maxAbs and sumOfSquares are NaN with a NaN at element " + position + " of [5, 7]",
                    (be, verify, random) -> {
                        HostTensor x = random.uniform(-1, 1, 5, 7);
                        x.values()[position] = Double.NaN;
                        try (Tensor t = x.upload(be, list.dtype())) {
                            verify.scalar("maxAbs", Double.NaN, be.maxAbs(t));
                            verify.scalar("sumOfSquares", Double.NaN, be.sumOfSquares(t));
                        }
                    });
        }
        list.add("reductions", "maxAbs of [3, 3] holding -Infinity", (be, verify, random) -> {
            HostTensor x = random.uniform(-1, 1, 3, 3);
            x.values()[4] = Double.NEGATIVE_INFINITY;
            try (Tensor t = x.upload(be, list.dtype())) {
                verify.scalar("maxAbs", Double.POSITIVE_INFINITY, be.maxAbs(t));
            }
        });
    }
}
