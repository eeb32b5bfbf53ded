package dev.unroll.backend.cuda;

import java.util.Optional;

/**
 * How {@code lstm_persistent_forward_f32} (persistent_lstm.cu) splits an LSTM recurrence over the GPU, or that it
 * cannot: every block must stay resident for the whole sequence (they meet at a grid-wide barrier each step) and
 * hold its slice of {@code W_hh} in shared memory. One block per multiprocessor at most, each owning
 * {@link #unitsPerBlock()} hidden units and their four gate rows. A pure function of the shape and the device's
 * limits, unit-tested without a GPU.
 *
 * @param unitsPerBlock hidden units per block (the last block may own fewer)
 * @param blocks        grid size, at most the number of multiprocessors
 * @param sharedBytes   dynamic shared memory per block: weights, h_{t-1} and the pre-activations
 */
record PersistentLstmPlan(int unitsPerBlock, int blocks, int sharedBytes) {
    /** Largest batch the persistent kernel takes (persistent_lstm.cu's PERSISTENT_MAX_BATCH): latency-bound shapes. */
    static final int MAX_BATCH = 8;
    /** Threads per block (PERSISTENT_THREADS). */
    static final int THREADS = 256;

    /**
     * What the plan needs to know about the device.
     *
     * @param multiprocessors       {@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT}
     * @param maxSharedBytesOptIn   {@code CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}
     * @param cooperativeLaunch     {@code CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH}: co-residency is guaranteed
     */
    record DeviceLimits(int multiprocessors, int maxSharedBytesOptIn, boolean cooperativeLaunch) {
    }

    /** The plan for batch {@code batch} and hidden size {@code hidden}, or empty when the kernel does not fit. */
    static Optional<PersistentLstmPlan> plan(int batch, int hidden, DeviceLimits limits) {
        if (!limits.cooperativeLaunch() || batch < 1 || batch > MAX_BATCH || hidden < 1 || limits.multiprocessors() < 1) {
            return Optional.empty();
        }
        int units = LaunchConfig.ceilDiv(hidden, limits.multiprocessors());
        int blocks = LaunchConfig.ceilDiv(hidden, units);
        long floats = 4L * units * hidden + (long) batch * hidden + 4L * units * batch;
        long bytes = floats * Float.BYTES;
        if (bytes > limits.maxSharedBytesOptIn()) {
            return Optional.empty();
        }
        return Optional.of(new PersistentLstmPlan(units, blocks, (int) bytes));
    }
}
