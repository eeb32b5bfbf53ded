package dev.unroll.backend.cuda;

import java.util.Optional;

/**
 * How a cluster persistent kernel (persistent_cluster.cuh) runs a layer, or that it cannot: one cluster of
 * {@link #BLOCKS} blocks, each owning {@code ceil(H / BLOCKS)} hidden units and holding their gate rows of
 * {@code W_hh} in registers, a thread per one or two rows and chunk of columns, and at least one per (unit, batch
 * row) for the pointwise step. A block with at least {@link #ROWS_FOR_PAIRS} rows gives each thread two rows of 16
 * columns (half the shared-memory loads per multiply-add: LSTM H=128 batch 16 on an H200, 0.40 to 0.37 ms per
 * 100 steps); with fewer, one row per thread at the smallest chunk that fits keeps more threads on the products
 * (RNN H=128 batch 16: 0.18 ms, against 0.24 with two rows). A pure function of the shape and the device's
 * limits, unit-tested without a GPU.
 *
 * @param chunk         columns of {@code W_hh} per thread: 8 or 16
 * @param rowsPerThread rows of {@code W_hh} per thread: 1 or 2
 * @param threads       threads per block, rounded up to whole warps
 * @param sharedBytes   dynamic shared memory per block: two h buffers and the partial sums
 */
record ClusterPlan(int chunk, int rowsPerThread, int threads, int sharedBytes) {
    /** Blocks per cluster and in the grid (CLUSTER_BLOCKS): the largest portable cluster. */
    static final int BLOCKS = 8;
    /** Most threads per block (CLUSTER_MAX_THREADS, the kernels' launch bound). */
    static final int MAX_THREADS = 512;
    /** Rows per block from which a thread takes two. */
    static final int ROWS_FOR_PAIRS = 64;
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
        int rowsPerThread = rows >= ROWS_FOR_PAIRS ? 2 : 1;
        for (int chunk : rowsPerThread == 2 ? new int[] {16} : new int[] {8, 16}) {
            int chunks = LaunchConfig.ceilDiv(hidden, chunk);
            long work = Math.max((long) LaunchConfig.ceilDiv(rows, rowsPerThread) * chunks, (long) units * batch);
            long threads = Math.max(WARP, (work + WARP - 1) / WARP * WARP);
            if (threads <= MAX_THREADS) {
                int paddedBatch = LaunchConfig.ceilDiv(batch, 4) * 4;
                long bytes = (2L * paddedBatch * chunks * chunk + (long) chunks * rows * paddedBatch) * Float.BYTES;
                return bytes > limits.maxSharedBytesOptIn() ? Optional.empty()
                        : Optional.of(new ClusterPlan(chunk, rowsPerThread, (int) threads, (int) bytes));
            }
        }
        return Optional.empty();
    }
}
