package dev.unroll.api.spi;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * Bookkeeping every backend's tensor shares: owner, dtype, shape, the closed flag and the view relation.
 * A backend subclasses it with its own storage (a host array, an ND4J array, a device pointer) and frees
 * that storage in {@link #release()}.
 */
public abstract class AbstractTensor implements Tensor {
    private final AbstractBackend<?> owner;
    private final DType dtype;
    private final int[] shape;
    private final long size;
    private final AbstractTensor base;
    /** Where this tensor's elements start in its storage owner's, in elements (0 unless a row view). */
    private long storageOffset;
    private boolean closed;

    /**
     * @param base the tensor whose storage this one views, or null if this tensor owns its storage
     */
    protected AbstractTensor(AbstractBackend<?> owner, DType dtype, int[] shape, AbstractTensor base) {
        this.owner = owner;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = Shapes.size(shape);
        this.base = base == null ? null : base.storageOwner();
    }

    @Override
    public final Backend backend() {
        return owner;
    }

    final AbstractBackend<?> owner() {
        return owner;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final int[] shape() {
        return shape.clone();
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final int cols() {
        return shape[shape.length - 1];
    }

    @Override
    public final int rows() {
        return (int) (size / cols());
    }

    /** True if this tensor views another's storage. */
    public final boolean isView() {
        return base != null;
    }

    /** The tensor that owns the storage: this one, or the base of a view. */
    public final AbstractTensor storageOwner() {
        return base == null ? this : base;
    }

    /** The first of this tensor's elements in its storage owner's (row-major, contiguous), in elements. */
    public final long storageOffset() {
        return storageOffset;
    }

    /** Set by {@link AbstractBackend} when it makes a view. */
    final void placeAt(long offset) {
        this.storageOffset = offset;
    }

    /** Whether the two tensors' elements share any storage (views of disjoint rows do not). */
    public final boolean overlaps(AbstractTensor other) {
        return storageOwner() == other.storageOwner() && storageOffset < other.storageOffset + other.size
                && other.storageOffset < storageOffset + size;
    }

    @Override
    public final boolean isClosed() {
        return closed || (base != null && base.isClosed()) || owner.isClosed();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (base == null) {
            owner.released(this);
            release();
        }
    }

    /** Frees the storage. Called once, only on tensors that own their storage. */
    protected abstract void release();

    @Override
    public String toString() {
        return owner.name() + " " + dtype + Arrays.toString(shape) + (isView() ? " view" : "")
                + (isClosed() ? " (closed)" : "");
    }
}
