package dev.unroll.backend.cuda;

import java.util.Optional;

/**
 * How a cluster persistent kernel (persistent_cluster.cuh) runs a layer, or that it cannot: one cluster of
 * {@link #BLOCKS} blocks, each owning {@code ceil(H / BLOCKS)} hidden units and holding their gate rows of
 * {@code W_hh} in registers, one thread per two rows and chunk of {@link #CHUNK} columns, and at least one per
 * (unit, batch row) for the pointwise step. A pure function of the shape and the device's limits, unit-tested
 * without a GPU.
 *
 * @param threads     threads per block, rounded up to whole warps
 * @param sharedBytes dynamic shared memory per block: two h buffers and the partial sums
 */
record ClusterPlan(int threads, int sharedBytes) {
    /** Blocks per cluster and in the grid (CLUSTER_BLOCKS): the largest portable cluster. */
    static final int BLOCKS = 8;
    /** Most threads per block (CLUSTER_MAX_THREADS, the kernels' launch bound). */
    static final int MAX_THREADS = 512;
    /** Columns of {@code W_hh} per thread (CLUSTER_CHUNK). */
    static final int CHUNK = 16;
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
        int chunks = LaunchConfig.ceilDiv(hidden, CHUNK);
        long work = Math.max((long) LaunchConfig.ceilDiv(rows, 2) * chunks, (long) units * batch);
        long threads = Math.max(WARP, (work + WARP - 1) / WARP * WARP);
        int paddedBatch = LaunchConfig.ceilDiv(batch, 4) * 4;
        long bytes = (2L * paddedBatch * chunks * CHUNK + (long) chunks * rows * paddedBatch) * Float.BYTES;
        if (threads > MAX_THREADS || bytes > limits.maxSharedBytesOptIn()) {
            return Optional.empty();
        }
        return Optional.of(new ClusterPlan((int) threads, (int) bytes));
    }
}
