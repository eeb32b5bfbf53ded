package dev.unroll.backend.cuda;

import java.util.Optional;

/**
 * How a persistent recurrence kernel (persistent.cuh) splits a layer over the GPU, or that it cannot: every
 * block must stay resident for the whole sequence (they meet at a grid-wide barrier each step) and hold its
 * slice of {@code W_hh} in shared memory. One block per multiprocessor at most, each owning
 * {@link #unitsPerBlock()} hidden units and their gate rows. A pure function of the shape and the device's
 * limits, unit-tested without a GPU.
 *
 * @param unitsPerBlock hidden units per block (the last block may own fewer)
 * @param blocks        grid size, at most the number of multiprocessors
 * @param sharedBytes   dynamic shared memory per block: weights, h_{t-1} and the recurrent pre-activations
 */
record PersistentPlan(int unitsPerBlock, int blocks, int sharedBytes) {
    /**
     * Largest batch the persistent kernels take (persistent.cuh's PERSISTENT_MAX_BATCH): the latency-bound shapes,
     * where a step's recurrent product is too small to fill the GPU as a GEMM.
     */
    static final int MAX_BATCH = 16;
    /** Threads per block (PERSISTENT_THREADS). */
    static final int THREADS = 256;
    /** Gates per hidden unit, i.e. rows of {@code W_hh} per unit. */
    static final int LSTM_GATES = 4;
    static final int GRU_GATES = 3;
    static final int RNN_GATES = 1;

    /**
     * The plan for a cell with {@code gates} gates per unit, batch {@code batch} and hidden size {@code hidden},
     * or empty when the kernel does not fit this device.
     */
    static Optional<PersistentPlan> plan(int gates, int batch, int hidden, DeviceLimits limits) {
        if (!limits.cooperativeLaunch() || batch < 1 || batch > MAX_BATCH || hidden < 1 || limits.multiprocessors() < 1) {
            return Optional.empty();
        }
        int units = LaunchConfig.ceilDiv(hidden, limits.multiprocessors());
        int blocks = LaunchConfig.ceilDiv(hidden, units);
        long floats = (long) gates * units * hidden + (long) batch * hidden + (long) gates * units * batch;
        long bytes = floats * Float.BYTES;
        if (bytes > limits.maxSharedBytesOptIn()) {
            return Optional.empty();
        }
        return Optional.of(new PersistentPlan(units, blocks, (int) bytes));
    }
}
