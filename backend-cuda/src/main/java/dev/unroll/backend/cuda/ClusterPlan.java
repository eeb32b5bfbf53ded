package dev.unroll.backend.cuda;

import java.util.Optional;

/**
 * How a cluster persistent kernel (persistent_cluster.cuh) runs a layer, or that it cannot: one cluster of
 * {@link #BLOCKS} blocks, each owning {@code ceil(H / BLOCKS)} hidden units and holding their gate rows of
 * {@code W_hh} in registers, one thread per (row, chunk of {@link #chunk()} columns). The smallest chunk whose
 * threads fit a block wins: more threads share a step's products. A pure function of the shape and the device's
 * limits, unit-tested without a GPU.
 *
 * @param chunk       columns of {@code W_hh} per thread (the kernel's K)
 * @param threads     threads per block: one per (row, chunk) and at least one per (unit, batch row), rounded up
 *                    to whole warps
 * @param sharedBytes dynamic shared memory per block: two h buffers and the partial sums
 */
record ClusterPlan(int chunk, int threads, int sharedBytes) {
    /** Blocks per cluster and in the grid (CLUSTER_BLOCKS): the largest portable cluster. */
    static final int BLOCKS = 8;
    /** Most threads per block (CLUSTER_MAX_THREADS, the kernels' launch bound). */
    static final int MAX_THREADS = 512;
    /** The column chunks the kernels take, smallest first (multiples of 4 up to CLUSTER_MAX_CHUNK). */
    private static final int[] CHUNKS = {8, 16, 32};
    private static final int WARP = 32;

    /**
     * The plan for a cell with {@code gates} gates per unit, batch {@code batch} and hidden size {@code hidden}, or
     * empty when the device has no cluster kernels or the work needs more threads than a block has.
     */
    static Optional<ClusterPlan> plan(int gates, int batch, int hidden, DeviceLimits limits) {
        if (!limits.clusterKernels() || batch < 1 || batch > PersistentPlan.MAX_BATCH || hidden < 1) {
            return Optional.empty();
        }
        int units = LaunchConfig.ceilDiv(hidden, BLOCKS);
        int rows = gates * units;
        int paddedBatch = LaunchConfig.ceilDiv(batch, 4) * 4;
        for (int chunk : CHUNKS) {
            int chunks = LaunchConfig.ceilDiv(hidden, chunk);
            // a thread per (row, chunk) for the products, and per (unit, batch row) for the pointwise step
            long work = Math.max((long) rows * chunks, (long) units * batch);
            long threads = Math.max(WARP, (work + WARP - 1) / WARP * WARP);
            if (threads <= MAX_THREADS) {
                long floats = 2L * paddedBatch * chunks * chunk + (long) chunks * rows * paddedBatch;
                long bytes = floats * Float.BYTES;
                return bytes > limits.maxSharedBytesOptIn() ? Optional.empty()
                        : Optional.of(new ClusterPlan(chunk, (int) threads, (int) bytes));
            }
        }
        return Optional.empty();
    }
}
