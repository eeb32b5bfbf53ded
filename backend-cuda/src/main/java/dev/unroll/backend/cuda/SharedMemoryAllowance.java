package dev.unroll.backend.cuda;

import java.util.function.IntConsumer;

/**
 * How much dynamic shared memory each kernel has been allowed (its {@code MAX_DYNAMIC_SHARED_SIZE_BYTES}
 * attribute), for all backend instances on one device together. The attribute belongs to the kernel's function,
 * which {@link KernelLibrary} shares between instances, so the record must be shared too: with one record per
 * instance, an instance launching a kernel with less would set the attribute down under another instance that
 * had raised it, and that instance's next launch (or replayed graph) would be refused. The allowance therefore
 * only grows, and recording it and setting the attribute happen under one lock, so no instance launches on a
 * recorded allowance the driver has not been given yet.
 */
final class SharedMemoryAllowance {
    private final int[] allowedBytes = new int[Kernel.values().length];

    /**
     * Makes sure {@code kernel} may use {@code sharedBytes}: calls {@code setAttribute} with that size when it is
     * more than allowed so far (0 so far: the default 48 KiB needs no attribute), and never lowers it.
     */
    synchronized void allow(Kernel kernel, int sharedBytes, IntConsumer setAttribute) {
        if (sharedBytes > allowedBytes[kernel.ordinal()]) {
            setAttribute.accept(sharedBytes);
            allowedBytes[kernel.ordinal()] = sharedBytes;
        }
    }

    /** The most {@code kernel} has been allowed (0: nothing beyond the default). */
    synchronized int allowed(Kernel kernel) {
        return allowedBytes[kernel.ordinal()];
    }
}
