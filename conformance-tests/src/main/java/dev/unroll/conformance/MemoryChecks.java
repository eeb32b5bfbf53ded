package dev.unroll.conformance;

import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * Memory primitives: allocation, upload and download, fill and copy, row and column copies, and the views
 * ({@code viewRows}, {@code reshape}) every other operation may receive as operands.
 */
final class MemoryChecks {
    private MemoryChecks() {
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {37, 29}, {3, 4, 5}};

    static void addTo(CheckList list) {
        for (int[] shape : SHAPES) {
            String s = Arrays.toString(shape);
            // t.backend() is not compared with be: a wrapping backend's tensors belong to the backend it wraps
            list.add("memory", "tensor metadata " + s, (be, verify, random) -> {
                try (Tensor t = be.allocate(list.dtype(), shape)) {
                    int cols = shape[shape.length - 1];
                    long size = Arrays.stream(shape).asLongStream().reduce(1, (x, y) -> x * y);
                    if (!Arrays.equals(t.shape(), shape) || t.cols() != cols || t.rows() != size / cols
                            || t.size() != size || t.dtype() != list.dtype() || t.isClosed()) {
                        throw verify.failure("allocate(" + list.dtype() + ", " + s + ") made a tensor with shape "
                                + Arrays.toString(t.shape()) + ", rows " + t.rows() + ", cols " + t.cols()
                                + ", size " + t.size() + ", dtype " + t.dtype() + ", closed " + t.isClosed());
                    }
                }
            });
            list.add("memory", "allocate is zero-filled, even after a freed tensor " + s, (be, verify, random) -> {
                // a device allocator that reuses freed memory must still hand out zeros
                try (Tensor old = be.allocate(list.dtype(), shape)) {
                    be.fill(old, 7);
                }
                try (Tensor t = be.allocate(list.dtype(), shape)) {
                    verify.tensor("allocated", HostTensor.zeros(shape), t);
                }
            });
            list.add("memory", "upload and download of double[] round trip " + s, (be, verify, random) -> {
                HostTensor x = random.uniform(-10, 10, shape);
                try (Tensor t = x.upload(be, list.dtype())) {
                    verify.tensor("downloaded", x, t);
                }
            });
            list.add("memory", "upload and download of float[] round trip " + s, (be, verify, random) -> {
                HostTensor x = random.uniform(-10, 10, shape).roundedTo(dev.unroll.api.DType.FLOAT32);
                float[] floats = new float[x.size()];
                for (int i = 0; i < floats.length; i++) {
                    floats[i] = (float) x.values()[i];
                }
                try (Tensor t = be.upload(list.dtype(), floats, shape)) {
                    float[] back = new float[floats.length];
                    be.download(t, back);
                    double[] backAsDouble = new double[back.length];
                    for (int i = 0; i < back.length; i++) {
                        backAsDouble[i] = back[i];
                    }
                    verify.tensor("downloaded", x, new HostTensor(shape, backAsDouble));
                }
            });
            list.add("memory", "fill " + s, (be, verify, random) -> {
                double value = list.round(-2.625);
                try (Tensor t = random.uniform(-1, 1, shape).upload(be, list.dtype())) {
                    be.fill(t, value);
                    verify.tensor("t", HostTensor.filled(value, shape), t);
                }
            });
            list.add("memory", "copy " + s, (be, verify, random) -> {
                HostTensor x = random.uniform(-1, 1, shape);
                try (Tensor src = x.upload(be, list.dtype());
                     Tensor dst = be.allocate(list.dtype(), shape)) {
                    be.copy(src, dst);
                    verify.tensor("dst", x, dst);
                    verify.unchanged("src", x, src);
                }
            });
        }
        list.add("memory", "copyRows with offsets, count 3 of [9, 5] into [7, 5]", (be, verify, random) -> {
            HostTensor src = random.uniform(-1, 1, 9, 5);
            HostTensor dst = random.uniform(-1, 1, 7, 5);
            try (Tensor ts = src.upload(be, list.dtype()); Tensor td = dst.upload(be, list.dtype())) {
                be.copyRows(ts, 4, td, 2, 3);
                verify.tensor("dst", dst.withRows(2, src.rows(4, 3)), td);
                be.copyRows(ts, 0, td, 0, 0);
                verify.tensor("dst after a copy of 0 rows", dst.withRows(2, src.rows(4, 3)), td);
            }
        });
        list.add("memory", "copyRows of a whole [T, B, F] step into a [B, F] state", (be, verify, random) -> {
            HostTensor seq = random.uniform(-1, 1, 4, 3, 6);
            try (Tensor ts = seq.upload(be, list.dtype()); Tensor td = be.allocate(list.dtype(), 3, 6)) {
                be.copyRows(ts, 2 * 3, td, 0, 3);
                verify.tensor("dst", seq.reshape(12, 6).rows(6, 3), td);
            }
        });
        list.add("memory", "copyColumns with offsets, count 4 of [6, 11] into [6, 9]", (be, verify, random) -> {
            HostTensor src = random.uniform(-1, 1, 6, 11);
            HostTensor dst = random.uniform(-1, 1, 6, 9);
            try (Tensor ts = src.upload(be, list.dtype()); Tensor td = dst.upload(be, list.dtype())) {
                be.copyColumns(ts, 5, td, 3, 4);
                verify.tensor("dst", dst.withColumns(3, src.columns(5, 4)), td);
                verify.unchanged("src", src, ts);
            }
        });
        list.add("memory", "copyColumns of one column and of all columns [1, 1] and [33, 1]",
                (be, verify, random) -> {
                    HostTensor one = random.uniform(-1, 1, 1, 1);
                    HostTensor column = random.uniform(-1, 1, 33, 1);
                    try (Tensor a = one.upload(be, list.dtype()); Tensor b = be.allocate(list.dtype(), 1, 1);
                         Tensor c = column.upload(be, list.dtype()); Tensor d = be.allocate(list.dtype(), 33, 1)) {
                        be.copyColumns(a, 0, b, 0, 1);
                        be.copyColumns(c, 0, d, 0, 1);
                        verify.tensor("[1, 1] dst", one, b);
                        verify.tensor("[33, 1] dst", column, d);
                    }
                });
        list.add("memory", "copyColumns between row views of [8, 6] and [9, 4]", (be, verify, random) -> {
            HostTensor src = random.uniform(-1, 1, 8, 6);
            HostTensor dst = random.uniform(-1, 1, 9, 4);
            try (Tensor ts = src.upload(be, list.dtype()); Tensor td = dst.upload(be, list.dtype());
                 Tensor srcView = be.viewRows(ts, 3, 5); Tensor dstView = be.viewRows(td, 2, 5)) {
                be.copyColumns(srcView, 1, dstView, 2, 2);
                HostTensor expectedView = dst.rows(2, 5).withColumns(2, src.rows(3, 5).columns(1, 2));
                verify.tensor("dst", dst.withRows(2, expectedView), td);
            }
        });
        list.add("memory", "viewRows reads and writes the base's rows", (be, verify, random) -> {
            HostTensor base = random.uniform(-1, 1, 10, 7);
            try (Tensor tb = base.upload(be, list.dtype()); Tensor view = be.viewRows(tb, 3, 4)) {
                if (!Arrays.equals(view.shape(), new int[] {4, 7})) {
                    throw verify.failure("viewRows(base [10, 7], 3, 4) has shape " + Arrays.toString(view.shape()));
                }
                verify.tensor("view", base.rows(3, 4), view);
                be.fill(view, 5);
                verify.tensor("base after filling the view", base.withRows(3, HostTensor.filled(5, 4, 7)), tb);
            }
        });
        list.add("memory", "upload into and download from a row view touch only the view's rows",
                (be, verify, random) -> {
                    HostTensor base = random.uniform(-1, 1, 8, 5);
                    HostTensor rows = random.uniform(-1, 1, 3, 5);
                    HostTensor moreRows = random.uniform(-1, 1, 2, 5).roundedTo(dev.unroll.api.DType.FLOAT32);
                    try (Tensor tb = base.upload(be, list.dtype()); Tensor view = be.viewRows(tb, 4, 3);
                         Tensor other = be.viewRows(tb, 1, 2)) {
                        be.upload(rows.values(), view);
                        float[] floats = new float[moreRows.size()];
                        for (int i = 0; i < floats.length; i++) {
                            floats[i] = (float) moreRows.values()[i];
                        }
                        be.upload(floats, other);
                        HostTensor expected = base.withRows(4, rows).withRows(1, moreRows);
                        verify.tensor("base", expected, tb);
                        double[] downloaded = new double[15];
                        be.download(view, downloaded);
                        verify.tensor("view downloaded", rows, new HostTensor(new int[] {3, 5}, downloaded));
                    }
                });
        list.add("memory", "viewRows of a view, and of a [T, B, F] sequence", (be, verify, random) -> {
            HostTensor seq = random.uniform(-1, 1, 5, 2, 3);
            HostTensor flat = seq.reshape(10, 3);
            try (Tensor ts = seq.upload(be, list.dtype()); Tensor step = be.viewRows(ts, 2 * 2, 2);
                 Tensor outer = be.viewRows(ts, 2, 6); Tensor inner = be.viewRows(outer, 3, 2)) {
                verify.tensor("step 2", flat.rows(4, 2), step);
                verify.tensor("rows 3..4 of the view of rows 2..7", flat.rows(5, 2), inner);
            }
        });
        list.add("memory", "reshape shares storage, also of a row view", (be, verify, random) -> {
            HostTensor base = random.uniform(-1, 1, 6, 4);
            try (Tensor tb = base.upload(be, list.dtype()); Tensor r = be.reshape(tb, 2, 3, 4);
                 Tensor view = be.viewRows(tb, 2, 3); Tensor viewAsVector = be.reshape(view, 12)) {
                verify.tensor("reshaped", base.reshape(2, 3, 4), r);
                verify.tensor("reshaped row view", base.rows(2, 3).reshape(12), viewAsVector);
                be.fill(viewAsVector, -1);
                verify.tensor("base after filling the reshaped view",
                        base.withRows(2, HostTensor.filled(-1, 3, 4)), tb);
            }
        });
    }
}
