package dev.unroll.backend.cuda;

import java.util.EnumMap;
import java.util.Map;

/**
 * The backend's own working memory: reduction partials, uploaded indices, per-row losses, staging for
 * overlapping copies. One growing buffer per use, so an operation never allocates once the buffers are big
 * enough. A buffer outgrown is not freed until the backend closes: a captured {@link StepGraph} may still
 * hold its address.
 */
final class DeviceScratch {
    /** The uses; two uses in one operation never share a buffer. */
    enum Use {
        /** Per-block partial results of a reduction's first pass. */
        PARTIALS,
        /** A reduction's final scalar. */
        RESULT,
        /** Row indices or class targets uploaded from the host. */
        INDICES,
        /** Per-row losses of softmax cross-entropy. */
        ROW_LOSSES,
        /** A copy of a source that overlaps its destination. */
        STAGING,
        /** The grid-wide barrier of a persistent kernel (two counters). */
        BARRIER
    }

    private final DeviceMemoryPool<DevicePointer> pool;
    private final Map<Use, DevicePointer> buffers = new EnumMap<>(Use.class);
    private final Map<Use, Long> capacities = new EnumMap<>(Use.class);

    DeviceScratch(DeviceMemoryPool<DevicePointer> pool) {
        this.pool = pool;
    }

    /** A buffer of at least {@code bytes} for {@code use}, grown (to at least twice its size) when too small. */
    DevicePointer get(Use use, long bytes) {
        long capacity = capacities.getOrDefault(use, 0L);
        if (bytes > capacity) {
            long grown = Math.max(bytes, 2 * capacity);
            buffers.put(use, pool.acquire(grown));
            capacities.put(use, DeviceMemoryPool.roundUp(grown));
        }
        return buffers.get(use);
    }
}
