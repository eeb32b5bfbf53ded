package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import dev.unroll.api.spi.AbstractTensor;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A tensor of the {@code cpu} backend: a contiguous run of {@link #size()} elements, row-major, inside the
 * native buffer of a c-order ND4J {@link INDArray}, starting {@link #offset()} elements after the buffer's
 * start. A tensor that owns its storage holds the array; row views and reshapes share it with an offset.
 *
 * <p>The kernels never go through ND4J's op machinery (which costs microseconds per call): GEMMs pass
 * {@link #blasPointer()} straight to OpenBLAS, and element-wise work reads and writes the native memory
 * through {@link #elements()} or the direct buffers. Every such handle is made once, when the tensor is
 * made, so the per-step loop allocates nothing.
 */
final class CpuTensor extends AbstractTensor {
    private final INDArray storage;
    /** The start of the storage buffer, shared by views (asking ND4J for it costs more than a view should). */
    private final Pointer storageAddress;
    private final int offset;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final Pointer blasPointer;
    private final Elements elements;

    private CpuTensor(CpuBackend owner, DType dtype, int[] shape, CpuTensor base, INDArray storage,
                      Pointer storageAddress, int offset, FloatBuffer floats, DoubleBuffer doubles) {
        super(owner, dtype, shape, base);
        this.storage = storage;
        this.storageAddress = storageAddress;
        this.offset = offset;
        this.floats = floats;
        this.doubles = doubles;
        Pointer address = storageAddress;
        if (dtype == DType.FLOAT32) {
            this.blasPointer = new FloatPointer(address).position(offset);
            this.elements = new Elements.Float32(floats, offset);
        } else {
            this.blasPointer = new DoublePointer(address).position(offset);
            this.elements = new Elements.Float64(doubles, offset);
        }
    }

    /** A new zero-filled tensor owning a fresh c-order array of the given shape. */
    static CpuTensor allocate(CpuBackend owner, DType dtype, int[] shape) {
        long[] longShape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            longShape[i] = shape[i];
        }
        DataType nd4jType = dtype == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
        INDArray array = Nd4j.create(nd4jType, longShape, 'c');
        FloatBuffer floats = dtype == DType.FLOAT32 ? array.data().asNioFloat() : null;
        DoubleBuffer doubles = dtype == DType.FLOAT64 ? array.data().asNioDouble() : null;
        return new CpuTensor(owner, dtype, shape, null, array, array.data().addressPointer(), 0, floats, doubles);
    }

    /** A view of {@code base}'s storage with another shape, starting {@code elementOffset} after base's start. */
    static CpuTensor view(CpuBackend owner, CpuTensor base, int[] shape, int elementOffset) {
        return new CpuTensor(owner, base.dtype(), shape, base, base.storage, base.storageAddress,
                base.offset + elementOffset, base.floats, base.doubles);
    }

    /** Index of element [0, 0] in the storage buffer. */
    int offset() {
        return offset;
    }

    /** The whole storage buffer of a FLOAT32 tensor (index from {@link #offset()}); null for FLOAT64. */
    FloatBuffer floats() {
        return floats;
    }

    /** The whole storage buffer of a FLOAT64 tensor (index from {@link #offset()}); null for FLOAT32. */
    DoubleBuffer doubles() {
        return doubles;
    }

    /** Element access from element [0, 0], as double. */
    Elements elements() {
        return elements;
    }

    /** A {@code FloatPointer} or {@code DoublePointer} positioned at element [0, 0], for BLAS calls. */
    Pointer blasPointer() {
        return blasPointer;
    }

    /**
     * This tensor as an ND4J array sharing its storage, shaped like the tensor, for interoperation with ND4J
     * code. Made on demand: the backend's own kernels do not need it.
     */
    INDArray asNd4j() {
        int[] dims = shape();
        long[] longShape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            longShape[i] = dims[i];
        }
        // long[] arguments, not varargs with an order char: reshape('c', n) would read 'c' as a dimension (99).
        INDArray flat = storage.reshape(new long[] {storage.length()});
        return flat.get(NDArrayIndex.interval(offset, offset + size())).reshape(longShape);
    }

    @Override
    protected void release() {
        if (storage.closeable()) {
            storage.close();
        }
    }
}
