package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceMemoryPoolTest {

    /** A stand-in for the driver: blocks are objects, with a device capacity to run out of. */
    private static final class FakeDevice implements DeviceMemoryPool.Allocator<Object> {
        final Map<Object, Long> live = new IdentityHashMap<>();
        final List<Long> allocations = new ArrayList<>();
        long capacity = Long.MAX_VALUE;

        long used() {
            return live.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public Object allocate(long bytes) {
            if (used() + bytes > capacity) {
                throw new DeviceOutOfMemoryException("cuMemAlloc(" + bytes + " bytes) failed with CUDA_ERROR_OUT_OF_MEMORY");
            }
            Object block = new Object();
            live.put(block, bytes);
            allocations.add(bytes);
            return block;
        }

        @Override
        public void free(Object block) {
            if (live.remove(block) == null) {
                throw new AssertionError("double free");
            }
        }
    }

    @Test
    void sizesRoundUpToTheGranule() {
        assertEquals(256, DeviceMemoryPool.roundUp(1));
        assertEquals(256, DeviceMemoryPool.roundUp(256));
        assertEquals(512, DeviceMemoryPool.roundUp(257));
        assertThrows(IllegalArgumentException.class, () -> DeviceMemoryPool.roundUp(0));
    }

    @Test
    void aReleasedBlockIsReusedForTheSameSizeWithoutADriverCall() {
        FakeDevice device = new FakeDevice();
        try (DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(device)) {
            Object first = pool.acquire(4 * 129);
            pool.release(first);
            Object second = pool.acquire(4 * 129);
            assertSame(first, second);
            assertEquals(1, pool.driverAllocations());
            assertEquals(List.of(768L), device.allocations);
        }
    }

    @Test
    void oneThousandIterationsOfTheSameShapesAllocateOnce() {
        FakeDevice device = new FakeDevice();
        try (DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(device)) {
            long[] shapes = {4L * 16 * 512, 4L * 16 * 128, 4L * 16 * 128, 4L * 1};
            for (int iteration = 0; iteration < 1000; iteration++) {
                List<Object> held = new ArrayList<>();
                for (long bytes : shapes) {
                    held.add(pool.acquire(bytes));
                }
                held.forEach(pool::release);
            }
            assertEquals(shapes.length, pool.driverAllocations());
            assertEquals(0, pool.bytesInUse());
            assertEquals(32768 + 8192 + 8192 + 256, pool.bytesReserved());
        }
    }

    @Test
    void differentSizesGetDifferentBlocks() {
        FakeDevice device = new FakeDevice();
        try (DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(device)) {
            Object small = pool.acquire(100);
            pool.release(small);
            Object large = pool.acquire(1000);
            assertNotSame(small, large);
            assertEquals(256 + 1024, pool.bytesReserved());
            assertEquals(1024, pool.bytesInUse());
        }
    }

    @Test
    void closeFreesBlocksInUseAndCached() {
        FakeDevice device = new FakeDevice();
        DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(device);
        Object inUse = pool.acquire(300);
        pool.release(pool.acquire(5000));
        pool.close();
        assertTrue(device.live.isEmpty(), "blocks left on the device: " + device.live.values());
        assertEquals(0, pool.bytesReserved());
        // A tensor closed after the backend does not double-free.
        pool.release(inUse);
        assertTrue(device.live.isEmpty());
        assertThrows(IllegalStateException.class, () -> pool.acquire(1));
    }

    @Test
    void trimGivesCachedBlocksBack() {
        FakeDevice device = new FakeDevice();
        try (DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(device)) {
            Object kept = pool.acquire(256);
            pool.release(pool.acquire(512));
            assertEquals(512, pool.trim());
            assertEquals(1, device.live.size());
            assertTrue(device.live.containsKey(kept));
            assertEquals(256, pool.bytesReserved());
        }
    }

    @Test
    void runningOutOfMemoryTrimsTheCacheAndRetriesOnce() {
        FakeDevice device = new FakeDevice();
        device.capacity = 1024;
        try (DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(device)) {
            pool.release(pool.acquire(768));
            Object big = pool.acquire(1024);
            assertEquals(1, device.live.size());
            assertEquals(1024L, device.live.get(big));
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> pool.acquire(256));
            assertTrue(e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY"), e.getMessage());
        }
    }

    @Test
    void releasingAForeignBlockFails() {
        try (DeviceMemoryPool<Object> pool = new DeviceMemoryPool<>(new FakeDevice())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(new Object()));
            assertTrue(e.getMessage().contains("not allocated by this pool"), e.getMessage());
        }
    }
}
