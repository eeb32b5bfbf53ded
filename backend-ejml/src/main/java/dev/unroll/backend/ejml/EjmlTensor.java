package dev.unroll.backend.ejml;

import dev.unroll.api.DType;
import dev.unroll.api.spi.AbstractTensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A tensor of the EJML backend: a contiguous run of {@link #size()} elements of a Java array, starting at
 * {@link #offset()}. FLOAT32 tensors live in a {@code float[]}, FLOAT64 tensors in a {@code double[]}; the
 * other array is null. Row views and reshapes share the array of their base, a row view with an offset,
 * which is why every kernel indexes from {@link #offset()}.
 *
 * <p>A tensor that starts at offset 0 can be handed to EJML as a matrix that wraps its array without a copy
 * (EJML reads only the first {@code rows * cols} elements of an array, as after its own grow-only reshape).
 */
public final class EjmlTensor extends AbstractTensor {
    private float[] floats;
    private double[] doubles;
    private final int offset;
    private FMatrixRMaj floatMatrix;
    private DMatrixRMaj doubleMatrix;

    private EjmlTensor(EjmlBackend owner, DType dtype, int[] shape, EjmlTensor base, float[] floats,
                       double[] doubles, int offset) {
        super(owner, dtype, shape, base);
        this.floats = floats;
        this.doubles = doubles;
        this.offset = offset;
    }

    /** A new zero-filled tensor owning a fresh array. */
    static EjmlTensor allocate(EjmlBackend owner, DType dtype, int[] shape) {
        int size = 1;
        for (int d : shape) {
            size = Math.multiplyExact(size, d);
        }
        return switch (dtype) {
            case FLOAT32 -> new EjmlTensor(owner, dtype, shape, null, new float[size], null, 0);
            case FLOAT64 -> new EjmlTensor(owner, dtype, shape, null, null, new double[size], 0);
        };
    }

    /** A view of {@code base}'s array starting {@code elementOffset} elements after {@code base}'s start. */
    static EjmlTensor view(EjmlBackend owner, EjmlTensor base, int[] shape, int elementOffset) {
        return new EjmlTensor(owner, base.dtype(), shape, base, base.floats, base.doubles,
                base.offset + elementOffset);
    }

    /** The backing array of a FLOAT32 tensor (shared with its views); null for FLOAT64. */
    float[] floats() {
        return floats;
    }

    /** The backing array of a FLOAT64 tensor (shared with its views); null for FLOAT32. */
    double[] doubles() {
        return doubles;
    }

    /** Index of element [0, 0] in the backing array. */
    int offset() {
        return offset;
    }

    /** The backing array, whichever dtype, for identity comparisons. */
    Object array() {
        return floats != null ? floats : doubles;
    }

    /** True if this tensor's elements overlap {@code other}'s in the same backing array. */
    boolean overlaps(EjmlTensor other) {
        return array() == other.array() && offset < other.offset + other.size()
                && other.offset < offset + size();
    }

    /** An EJML matrix {@code [rows, cols]} wrapping the array; only for FLOAT32 tensors at offset 0. */
    FMatrixRMaj floatMatrix() {
        if (floatMatrix == null) {
            floatMatrix = FMatrixRMaj.wrap(rows(), cols(), floats);
        }
        return floatMatrix;
    }

    /** An EJML matrix {@code [rows, cols]} wrapping the array; only for FLOAT64 tensors at offset 0. */
    DMatrixRMaj doubleMatrix() {
        if (doubleMatrix == null) {
            doubleMatrix = DMatrixRMaj.wrap(rows(), cols(), doubles);
        }
        return doubleMatrix;
    }

    @Override
    protected void release() {
        // Views keep their own reference; dropping ours lets the array go as soon as they are gone too.
        floats = null;
        doubles = null;
        floatMatrix = null;
        doubleMatrix = null;
    }
}
