package dev.unroll.backend.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Device memory allocated once per size and reused: a closed tensor's block goes back to a free list keyed by
 * its (rounded) byte size, and the next tensor of that size takes it without a driver call. A training loop
 * allocates the same shapes every batch, so after the first batch it stops calling {@code cuMemAlloc} (which
 * synchronizes the device) at all. Everything is freed by {@link #close()}.
 *
 * <p>The pool is generic in the block handle so its planning is unit-tested with a fake allocator; the backend
 * uses it with {@code CUdeviceptr}. Not thread-safe, like the backend that owns it.
 *
 * @param <B> the handle of one device allocation
 */
final class DeviceMemoryPool<B> implements AutoCloseable {
    /** Sizes are rounded up to this, the alignment {@code cuMemAlloc} guarantees anyway. */
    static final long GRANULE = 256;

    /** The driver calls the pool makes. */
    interface Allocator<B> {
        /** A new block of exactly {@code bytes}, or {@link DeviceOutOfMemoryException} when the device is full. */
        B allocate(long bytes);

        void free(B block);
    }

    private final Allocator<B> allocator;
    private final Map<Long, ArrayDeque<B>> free = new HashMap<>();
    private final Map<B, Long> sizes = new IdentityHashMap<>();
    private long bytesReserved;
    private long bytesInUse;
    private long driverAllocations;
    private boolean closed;

    DeviceMemoryPool(Allocator<B> allocator) {
        this.allocator = Objects.requireNonNull(allocator);
    }

    /** {@code bytes} rounded up to the granule. */
    static long roundUp(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        return (bytes + GRANULE - 1) / GRANULE * GRANULE;
    }

    /** A block of at least {@code bytes}: a cached one of the same rounded size if any, else a new one. */
    B acquire(long bytes) {
        if (closed) {
            throw new IllegalStateException("device memory pool is closed");
        }
        long size = roundUp(bytes);
        ArrayDeque<B> cached = free.get(size);
        B block = cached == null ? null : cached.pollLast();
        if (block == null) {
            block = allocateOrTrim(size);
            sizes.put(block, size);
            bytesReserved += size;
            driverAllocations++;
        }
        bytesInUse += size;
        return block;
    }

    /** Returns a block to its free list. Releasing a block this pool did not hand out fails. */
    void release(B block) {
        if (closed) {
            return;
        }
        Long size = sizes.get(block);
        if (size == null) {
            throw new IllegalArgumentException("block " + block + " was not allocated by this pool");
        }
        bytesInUse -= size;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(block);
    }

    /** Frees every cached (unused) block, returning the bytes given back to the device. */
    long trim() {
        long freed = 0;
        for (Map.Entry<Long, ArrayDeque<B>> e : free.entrySet()) {
            for (B block : e.getValue()) {
                allocator.free(block);
                sizes.remove(block);
                freed += e.getKey();
            }
        }
        free.clear();
        bytesReserved -= freed;
        return freed;
    }

    private B allocateOrTrim(long size) {
        try {
            return allocator.allocate(size);
        } catch (DeviceOutOfMemoryException e) {
            // Cached blocks of other sizes may be what stands in the way: give them back and try once more.
            if (trim() == 0) {
                throw e;
            }
            return allocator.allocate(size);
        }
    }

    /** Bytes held from the device: in use plus cached. */
    long bytesReserved() {
        return bytesReserved;
    }

    /** Bytes handed out and not released. */
    long bytesInUse() {
        return bytesInUse;
    }

    /** How many times the pool called the driver to allocate (a reuse test watches this stay flat). */
    long driverAllocations() {
        return driverAllocations;
    }

    /** Frees every block, cached or still in use. Blocks released afterwards are ignored. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (B block : sizes.keySet()) {
            try {
                allocator.free(block);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        sizes.clear();
        free.clear();
        bytesReserved = 0;
        bytesInUse = 0;
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
