package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.api.spi.AbstractTensor;

import java.util.function.Consumer;

/**
 * A FLOAT32 tensor in device memory: a pooled allocation plus a byte offset. Every tensor is contiguous and
 * row-major, so a row view ({@code viewRows}) or a reshape is the same allocation at another offset or with
 * another shape, with no copy.
 */
final class CudaTensor extends AbstractTensor {
    private final DevicePointer block;
    private final long byteOffset;
    private final Consumer<DevicePointer> release;

    /** A tensor owning {@code block}, which {@code release} hands back when the tensor is closed. */
    CudaTensor(CudaBackend owner, int[] shape, DevicePointer block, Consumer<DevicePointer> release) {
        super(owner, DType.FLOAT32, shape, null);
        this.block = block;
        this.byteOffset = 0;
        this.release = release;
    }

    /** A view of {@code base}'s storage starting {@code byteOffset} bytes into its allocation. */
    CudaTensor(CudaBackend owner, CudaTensor base, int[] shape, long byteOffset) {
        super(owner, DType.FLOAT32, shape, base);
        this.block = base.block;
        this.byteOffset = byteOffset;
        this.release = null;
    }

    /** The allocation this tensor lives in (shared with its views). */
    DevicePointer block() {
        return block;
    }

    /** Offset of element 0 in the allocation, in bytes. */
    long byteOffset() {
        return byteOffset;
    }

    /** Device address of element 0: what a kernel receives. */
    long address() {
        return block.address() + byteOffset;
    }

    long bytes() {
        return size() * Float.BYTES;
    }

    /** True when the two tensors' byte ranges in the same allocation intersect. */
    boolean overlaps(CudaTensor other) {
        return block == other.block && byteOffset < other.byteOffset + other.bytes()
                && other.byteOffset < byteOffset + bytes();
    }

    @Override
    protected void release() {
        release.accept(block);
    }
}
