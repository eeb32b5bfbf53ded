package dev.unroll.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A {@code cuMemAlloc}'d device allocation that can tell its raw address.
 *
 * <p>Why raw addresses: JCuda marshals a kernel's parameter array by taking each element's <em>start</em>
 * pointer, ignoring a {@link CUdeviceptr#withByteOffset byte offset}, and afterwards writes the value back into
 * the Java object with the offset reset to zero. A row view passed that way would silently point at row 0 (and
 * corrupt the view's pointer object). So kernel arguments are passed as 64-bit address values
 * ({@code Pointer.to(new long[] {address})}), while copies and memsets, which JCuda resolves with the offset,
 * use {@link #at(long)}.
 */
final class DevicePointer extends CUdeviceptr {

    /** The device address of the allocation's first byte (0 before {@code cuMemAlloc} filled it in). */
    long address() {
        return getNativePointer();
    }

    /** A pointer {@code byteOffset} bytes into this allocation, for copy and memset calls. */
    CUdeviceptr at(long byteOffset) {
        return byteOffset == 0 ? this : withByteOffset(byteOffset);
    }
}
