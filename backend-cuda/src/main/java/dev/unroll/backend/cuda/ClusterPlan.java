package dev.unroll.backend.cuda;

import java.util.Optional;

/**
 * How a cluster persistent kernel (persistent_cluster.cuh) runs a layer, or that it cannot: one cluster of
 * {@link #BLOCKS} blocks, each owning {@code ceil(H / BLOCKS)} hidden units and holding the weights that produce
 * their values in registers, one thread per (weight row, chunk of {@link #chunk()} columns). Forward, a block's rows
 * are its units' gate rows of {@code W_hh} ({@code G} per unit, {@code H} columns, multiplied by {@code h_{t-1}});
 * backward, its units' columns of {@code W_hh} (one row of {@code W_hh^T} per unit, {@code G*H} columns, multiplied
 * by the step's gate gradients). The smallest chunk whose threads and shared memory fit a block wins: more threads
 * share a step's products. A pure function of the shape and the device's limits, unit-tested without a GPU.
 *
 * @param chunk       columns of the weight rows per thread (the kernel's K)
 * @param threads     threads per block: one per (row, chunk) and at least one per (unit, batch row), rounded up
 *                    to whole warps
 * @param sharedBytes dynamic shared memory per block: two buffers of the broadcast vectors and the partial sums
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
     * The forward kernel's plan for a cell with {@code gates} gates per unit, batch {@code batch} and hidden size
     * {@code hidden}, or empty when the device has no cluster kernels or the work needs more threads than a block
     * has.
     */
    static Optional<ClusterPlan> forward(int gates, int batch, int hidden, DeviceLimits limits) {
        return plan(gates, hidden, batch, hidden, limits);
    }

    /** The backward kernel's plan, like {@link #forward}: the same weights per block, transposed. */
    static Optional<ClusterPlan> backward(int gates, int batch, int hidden, DeviceLimits limits) {
        return plan(1, gates * hidden, batch, hidden, limits);
    }

    /**
     * @param rowsPerUnit weight rows per hidden unit a block owns
     * @param width       columns of each weight row: the length of the vector broadcast to every block each step
     */
    private static Optional<ClusterPlan> plan(int rowsPerUnit, int width, int batch, int hidden, DeviceLimits limits) {
        if (!limits.clusterKernels() || batch < 1 || batch > PersistentPlan.MAX_BATCH || hidden < 1) {
            return Optional.empty();
        }
        int units = LaunchConfig.ceilDiv(hidden, BLOCKS);
        int rows = rowsPerUnit * units;
        int paddedBatch = LaunchConfig.ceilDiv(batch, 4) * 4;
        for (int chunk : CHUNKS) {
            int chunks = LaunchConfig.ceilDiv(width, chunk);
            // a thread per (row, chunk) for the products, and per (unit, batch row) for the pointwise step
            long work = Math.max((long) rows * chunks, (long) units * batch);
            long threads = Math.max(WARP, (work + WARP - 1) / WARP * WARP);
            if (threads <= MAX_THREADS) {
                long floats = 2L * paddedBatch * chunks * chunk + (long) chunks * rows * paddedBatch;
                long bytes = floats * Float.BYTES;
                if (bytes <= limits.maxSharedBytesOptIn()) {
                    return Optional.of(new ClusterPlan(chunk, (int) threads, (int) bytes));
                }
                // a wider chunk keeps fewer partial sums: try it
            }
        }
        return Optional.empty();
    }
}
