package dev.unroll.api.spi;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.StepShapes;
import dev.unroll.api.Tensor;
import dev.unroll.api.UnsupportedDTypeException;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The base class for backends: every public operation validates its arguments here (ownership, closed
 * tensors, dtypes, shapes, indices) and then calls a protected {@code do...} method that the backend
 * implements on its own tensor type {@code T}, knowing that the arguments are consistent. So every backend
 * rejects bad input with the same messages, and a backend author writes only the arithmetic.
 *
 * <p>The backend also keeps the set of live tensors, frees them on {@link #close()}, and reports their
 * count through {@link #liveTensorCount()} for leak tests.
 *
 * @param <T> the backend's tensor class
 */
public abstract class AbstractBackend<T extends AbstractTensor> implements Backend {
    private final String name;
    private final Class<T> tensorClass;
    private final Set<AbstractTensor> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    protected AbstractBackend(String name, Class<T> tensorClass) {
        this.name = name;
        this.tensorClass = tensorClass;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Number of tensors that own storage and are not closed yet. */
    public final int liveTensorCount() {
        return live.size();
    }

    final boolean isClosed() {
        return closed;
    }

    final void released(AbstractTensor t) {
        live.remove(t);
    }

    // ---------------------------------------------------------------- to implement

    /** A new zero-filled tensor owning its storage; dtype is supported and shape is valid. */
    protected abstract T newTensor(DType dtype, int[] shape);

    /** A view of rows {@code firstRow .. firstRow+rowCount-1} of {@code base}, shape {@code [rowCount, cols]}. */
    protected abstract T newRowView(T base, int firstRow, int rowCount);

    /** A view of {@code base}'s storage under another shape of the same size. */
    protected abstract T newReshaped(T base, int[] shape);

    protected abstract void doUpload(float[] src, T dst);

    protected abstract void doUpload(double[] src, T dst);

    protected abstract void doDownload(T src, float[] dst);

    protected abstract void doDownload(T src, double[] dst);

    protected abstract void doFill(T t, double value);

    protected abstract void doCopyRows(T src, int srcRow, T dst, int dstRow, int count);

    protected abstract void doCopyColumns(T src, int srcCol, T dst, int dstCol, int count);

    /** {@code c[m, n] = alpha * op(a)[m, k] * op(b)[k, n] + beta * c}; dimensions already checked. */
    protected abstract void doGemm(boolean transA, boolean transB, double alpha, T a, T b, double beta, T c,
                                   int m, int n, int k);

    protected abstract void doAdd(T a, T b, T out);

    protected abstract void doSub(T a, T b, T out);

    protected abstract void doMul(T a, T b, T out);

    protected abstract void doDiv(T a, T b, T out);

    protected abstract void doScale(double alpha, T x, T out);

    protected abstract void doAddScalar(T x, double value, T out);

    protected abstract void doAxpy(double alpha, T x, T y);

    protected abstract void doSqrt(T x, T out);

    protected abstract void doClamp(T x, double lo, double hi, T out);

    protected abstract void doActivate(Activation f, T x, T out);

    protected abstract void doActivateBackward(Activation f, T y, T dy, T dx);

    protected abstract void doAddRowVector(T m, T row, T out);

    protected abstract void doMulColumnVector(T m, T column, T out);

    protected abstract void doColumnSums(T m, double beta, T out);

    protected abstract double doSumOfSquares(T t);

    protected abstract double doMaxAbs(T t);

    protected abstract void doGatherRows(T table, int[] indices, T out);

    protected abstract void doScatterAddRows(T src, int[] indices, T table);

    protected abstract double doSoftmaxCrossEntropy(T logits, int[] targets, T probabilities);

    protected abstract void doSoftmaxCrossEntropyBackward(T probabilities, int[] targets, double scale, T dLogits);

    /** Releases backend-wide resources; live tensors were already closed. */
    protected void doClose() {
    }

    // ---------------------------------------------------------------- checks

    /** Casts {@code t} to this backend's tensor type after checking it is ours and open. */
    protected final T own(String op, String arg, Tensor t) {
        StepShapes.required(op, arg, t);
        if (!(t instanceof AbstractTensor at) || at.owner() != this || !tensorClass.isInstance(t)) {
            throw new IllegalArgumentException(op + ": tensor '" + arg + "' (" + t + ") belongs to backend '"
                    + t.backend().name() + "', not to this '" + name + "' backend instance");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": tensor '" + arg + "' " + Tensor.describe(t) + " is closed");
        }
        return tensorClass.cast(t);
    }

    private void open(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": backend '" + name + "' is closed");
        }
    }

    private static void sameDType(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ: " + nameA + " " + a.dtype() + ", " + nameB
                    + " " + b.dtype());
        }
    }

    private static void sameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        StepShapes.same(op, nameA, a, nameB, b);
    }

    private static void elements(String op, String arg, Tensor t, long expected, String what) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(op + ": " + arg + " has shape " + Arrays.toString(t.shape()) + " ("
                    + t.size() + " elements) but expected " + expected + " elements (" + what + ")");
        }
    }

    /** {@code value}, which must not be null: an argument that is not a tensor ({@link #own} checks those). */
    private static <A> A notNull(String op, String arg, A value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + arg + " is null");
        }
        return value;
    }

    private static void arrayLength(String op, int length, Tensor t) {
        if (length != t.size()) {
            throw new IllegalArgumentException(op + ": host array has " + length + " values but tensor "
                    + Tensor.describe(t) + " has " + t.size());
        }
    }

    private static void range(String op, String what, int first, int count, int limit, Tensor t) {
        // in long: first + count in int wraps negative for a first index near Integer.MAX_VALUE, and would pass
        long end = (long) first + count;
        if (first < 0 || count < 0 || end > limit) {
            throw new IllegalArgumentException(op + ": " + what + " " + first + ".." + (end - 1)
                    + " out of range for " + Arrays.toString(t.shape()) + " (" + limit + ")");
        }
    }

    // ---------------------------------------------------------------- memory

    @Override
    public final Tensor allocate(DType dtype, int... shape) {
        open("allocate");
        if (!supports(notNull("allocate", "dtype", dtype))) {
            throw new UnsupportedDTypeException(name, dtype);
        }
        Shapes.size(shape);
        T t = newTensor(dtype, shape.clone());
        live.add(t);
        return t;
    }

    @Override
    public final void upload(float[] src, Tensor dst) {
        T d = own("upload", "dst", dst);
        arrayLength("upload", notNull("upload", "src", src).length, d);
        doUpload(src, d);
    }

    @Override
    public final void upload(double[] src, Tensor dst) {
        T d = own("upload", "dst", dst);
        arrayLength("upload", notNull("upload", "src", src).length, d);
        doUpload(src, d);
    }

    @Override
    public final void download(Tensor src, float[] dst) {
        T s = own("download", "src", src);
        arrayLength("download", notNull("download", "dst", dst).length, s);
        doDownload(s, dst);
    }

    @Override
    public final void download(Tensor src, double[] dst) {
        T s = own("download", "src", src);
        arrayLength("download", notNull("download", "dst", dst).length, s);
        doDownload(s, dst);
    }

    @Override
    public final Tensor viewRows(Tensor base, int firstRow, int rowCount) {
        T b = own("viewRows", "base", base);
        if (rowCount < 1) {
            throw new IllegalArgumentException("viewRows: rowCount must be >= 1, was " + rowCount);
        }
        range("viewRows", "rows", firstRow, rowCount, b.rows(), b);
        T view = newRowView(b, firstRow, rowCount);
        view.placeAt(b.storageOffset() + (long) firstRow * b.cols());
        return view;
    }

    @Override
    public final Tensor reshape(Tensor base, int... shape) {
        T b = own("reshape", "base", base);
        if (Shapes.size(shape) != b.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + Arrays.toString(b.shape()) + " as "
                    + Arrays.toString(shape) + ": element counts differ");
        }
        T view = newReshaped(b, shape.clone());
        view.placeAt(b.storageOffset());
        return view;
    }

    @Override
    public final void fill(Tensor t, double value) {
        doFill(own("fill", "t", t), value);
    }

    @Override
    public final void copy(Tensor src, Tensor dst) {
        T s = own("copy", "src", src);
        T d = own("copy", "dst", dst);
        sameShape("copy", "src", s, "dst", d);
        doCopyRows(s, 0, d, 0, s.rows());
    }

    @Override
    public final void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int count) {
        T s = own("copyRows", "src", src);
        T d = own("copyRows", "dst", dst);
        sameDType("copyRows", "src", s, "dst", d);
        if (s.cols() != d.cols()) {
            throw new IllegalArgumentException("copyRows: column counts differ: src " + Arrays.toString(s.shape())
                    + ", dst " + Arrays.toString(d.shape()));
        }
        range("copyRows", "src rows", srcRow, count, s.rows(), s);
        range("copyRows", "dst rows", dstRow, count, d.rows(), d);
        if (count > 0) {
            doCopyRows(s, srcRow, d, dstRow, count);
        }
    }

    @Override
    public final void copyColumns(Tensor src, int srcCol, Tensor dst, int dstCol, int count) {
        T s = own("copyColumns", "src", src);
        T d = own("copyColumns", "dst", dst);
        sameDType("copyColumns", "src", s, "dst", d);
        if (s.rows() != d.rows()) {
            throw new IllegalArgumentException("copyColumns: row counts differ: src " + Arrays.toString(s.shape())
                    + ", dst " + Arrays.toString(d.shape()));
        }
        range("copyColumns", "src columns", srcCol, count, s.cols(), s);
        range("copyColumns", "dst columns", dstCol, count, d.cols(), d);
        if (count > 0) {
            doCopyColumns(s, srcCol, d, dstCol, count);
        }
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public final void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        T ta = own("gemm", "a", a);
        T tb = own("gemm", "b", b);
        T tc = own("gemm", "c", c);
        sameDType("gemm", "a", ta, "b", tb);
        sameDType("gemm", "a", ta, "c", tc);
        int m = transA ? ta.cols() : ta.rows();
        int k = transA ? ta.rows() : ta.cols();
        int kb = transB ? tb.cols() : tb.rows();
        int n = transB ? tb.rows() : tb.cols();
        if (k != kb || tc.rows() != m || tc.cols() != n) {
            throw new IllegalArgumentException("gemm: shapes do not fit: op(a) is [" + m + ", " + k + "] (a "
                    + Arrays.toString(ta.shape()) + ", transA=" + transA + "), op(b) is [" + kb + ", " + n + "] (b "
                    + Arrays.toString(tb.shape()) + ", transB=" + transB + "), c is " + Arrays.toString(tc.shape())
                    + " but must be [" + m + ", " + n + "]" + (k != kb ? "; inner dimensions " + k + " != " + kb : ""));
        }
        if (tc.overlaps(ta) || tc.overlaps(tb)) {
            throw new IllegalArgumentException("gemm: output c " + Arrays.toString(tc.shape())
                    + " overlaps the storage of a or b (views of disjoint rows may share a tensor)");
        }
        doGemm(transA, transB, alpha, ta, tb, beta, tc, m, n, k);
    }

    private T[] binary(String op, Tensor a, Tensor b, Tensor out) {
        T ta = own(op, "a", a);
        T tb = own(op, "b", b);
        T to = own(op, "out", out);
        sameShape(op, "a", ta, "b", tb);
        sameShape(op, "a", ta, "out", to);
        return array(ta, tb, to);
    }

    private T[] unary(String op, Tensor x, Tensor out) {
        T tx = own(op, "x", x);
        T to = own(op, "out", out);
        sameShape(op, "x", tx, "out", to);
        return array(tx, to);
    }

    @SafeVarargs
    private static <T> T[] array(T... items) {
        return items;
    }

    @Override
    public final void add(Tensor a, Tensor b, Tensor out) {
        T[] t = binary("add", a, b, out);
        doAdd(t[0], t[1], t[2]);
    }

    @Override
    public final void sub(Tensor a, Tensor b, Tensor out) {
        T[] t = binary("sub", a, b, out);
        doSub(t[0], t[1], t[2]);
    }

    @Override
    public final void mul(Tensor a, Tensor b, Tensor out) {
        T[] t = binary("mul", a, b, out);
        doMul(t[0], t[1], t[2]);
    }

    @Override
    public final void div(Tensor a, Tensor b, Tensor out) {
        T[] t = binary("div", a, b, out);
        doDiv(t[0], t[1], t[2]);
    }

    @Override
    public final void scale(double alpha, Tensor x, Tensor out) {
        T[] t = unary("scale", x, out);
        doScale(alpha, t[0], t[1]);
    }

    @Override
    public final void addScalar(Tensor x, double value, Tensor out) {
        T[] t = unary("addScalar", x, out);
        doAddScalar(t[0], value, t[1]);
    }

    @Override
    public final void axpy(double alpha, Tensor x, Tensor y) {
        T tx = own("axpy", "x", x);
        T ty = own("axpy", "y", y);
        sameShape("axpy", "x", tx, "y", ty);
        doAxpy(alpha, tx, ty);
    }

    @Override
    public final void sqrt(Tensor x, Tensor out) {
        T[] t = unary("sqrt", x, out);
        doSqrt(t[0], t[1]);
    }

    @Override
    public final void clamp(Tensor x, double lo, double hi, Tensor out) {
        T[] t = unary("clamp", x, out);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lo " + lo + " must be <= hi " + hi);
        }
        doClamp(t[0], lo, hi, t[1]);
    }

    @Override
    public final void activate(Activation f, Tensor x, Tensor out) {
        T[] t = unary("activate(" + f + ")", x, out);
        doActivate(f, t[0], t[1]);
    }

    @Override
    public final void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) {
        String op = "activateBackward(" + f + ")";
        T ty = own(op, "y", y);
        T tdy = own(op, "dy", dy);
        T tdx = own(op, "dx", dx);
        sameShape(op, "y", ty, "dy", tdy);
        sameShape(op, "y", ty, "dx", tdx);
        doActivateBackward(f, ty, tdy, tdx);
    }

    // ---------------------------------------------------------------- broadcasting and reductions

    @Override
    public final void addRowVector(Tensor m, Tensor row, Tensor out) {
        T tm = own("addRowVector", "m", m);
        T tr = own("addRowVector", "row", row);
        T to = own("addRowVector", "out", out);
        sameShape("addRowVector", "m", tm, "out", to);
        sameDType("addRowVector", "m", tm, "row", tr);
        elements("addRowVector", "row", tr, tm.cols(), "one per column of m " + Arrays.toString(tm.shape()));
        doAddRowVector(tm, tr, to);
    }

    @Override
    public final void mulColumnVector(Tensor m, Tensor column, Tensor out) {
        T tm = own("mulColumnVector", "m", m);
        T tcol = own("mulColumnVector", "column", column);
        T to = own("mulColumnVector", "out", out);
        sameShape("mulColumnVector", "m", tm, "out", to);
        sameDType("mulColumnVector", "m", tm, "column", tcol);
        elements("mulColumnVector", "column", tcol, tm.rows(), "one per row of m " + Arrays.toString(tm.shape()));
        doMulColumnVector(tm, tcol, to);
    }

    @Override
    public final void columnSums(Tensor m, double beta, Tensor out) {
        T tm = own("columnSums", "m", m);
        T to = own("columnSums", "out", out);
        sameDType("columnSums", "m", tm, "out", to);
        elements("columnSums", "out", to, tm.cols(), "one per column of m " + Arrays.toString(tm.shape()));
        doColumnSums(tm, beta, to);
    }

    @Override
    public final double sumOfSquares(Tensor t) {
        return doSumOfSquares(own("sumOfSquares", "t", t));
    }

    @Override
    public final double maxAbs(Tensor t) {
        return doMaxAbs(own("maxAbs", "t", t));
    }

    // ---------------------------------------------------------------- embeddings

    private static void indices(String op, int[] indices, int limit, Tensor table) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= limit) {
                throw new IllegalArgumentException(op + ": indices[" + i + "] = " + indices[i]
                        + " is out of range for table " + Arrays.toString(table.shape()));
            }
        }
    }

    private static void rowsFor(String op, String arg, Tensor t, int[] indices, Tensor table) {
        if (t.rows() != notNull(op, "indices", indices).length || t.cols() != table.cols()) {
            throw new IllegalArgumentException(op + ": " + arg + " has shape " + Arrays.toString(t.shape())
                    + " but expected [" + indices.length + ", " + table.cols() + "] (one row per index, table "
                    + Arrays.toString(table.shape()) + ")");
        }
    }

    @Override
    public final void gatherRows(Tensor table, int[] indices, Tensor out) {
        T tt = own("gatherRows", "table", table);
        T to = own("gatherRows", "out", out);
        sameDType("gatherRows", "table", tt, "out", to);
        rowsFor("gatherRows", "out", to, indices, tt);
        indices("gatherRows", indices, tt.rows(), tt);
        doGatherRows(tt, indices, to);
    }

    @Override
    public final void scatterAddRows(Tensor src, int[] indices, Tensor table) {
        T ts = own("scatterAddRows", "src", src);
        T tt = own("scatterAddRows", "table", table);
        sameDType("scatterAddRows", "src", ts, "table", tt);
        rowsFor("scatterAddRows", "src", ts, indices, tt);
        indices("scatterAddRows", indices, tt.rows(), tt);
        doScatterAddRows(ts, indices, tt);
    }

    // ---------------------------------------------------------------- loss

    private static void targets(String op, int[] targets, Tensor logits) {
        if (notNull(op, "targets", targets).length != logits.rows()) {
            throw new IllegalArgumentException(op + ": " + targets.length + " targets for "
                    + Arrays.toString(logits.shape()) + " (" + logits.rows() + " rows)");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= logits.cols()) {
                throw new IllegalArgumentException(op + ": targets[" + i + "] = " + targets[i] + " but there are only "
                        + logits.cols() + " classes");
            }
        }
    }

    @Override
    public final double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor probabilities) {
        T tl = own("softmaxCrossEntropy", "logits", logits);
        T tp = own("softmaxCrossEntropy", "probabilities", probabilities);
        sameShape("softmaxCrossEntropy", "logits", tl, "probabilities", tp);
        targets("softmaxCrossEntropy", targets, tl);
        return doSoftmaxCrossEntropy(tl, targets, tp);
    }

    @Override
    public final void softmaxCrossEntropyBackward(Tensor probabilities, int[] targets, double scale, Tensor dLogits) {
        T tp = own("softmaxCrossEntropyBackward", "probabilities", probabilities);
        T td = own("softmaxCrossEntropyBackward", "dLogits", dLogits);
        sameShape("softmaxCrossEntropyBackward", "probabilities", tp, "dLogits", td);
        targets("softmaxCrossEntropyBackward", targets, tp);
        doSoftmaxCrossEntropyBackward(tp, targets, scale, td);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        for (AbstractTensor t : live.toArray(new AbstractTensor[0])) {
            t.close();
        }
        closed = true;
        doClose();
    }

    @Override
    public String toString() {
        return "Backend[" + name + "]";
    }
}
