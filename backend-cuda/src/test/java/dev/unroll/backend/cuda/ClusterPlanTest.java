package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPlanTest {
    private static final DeviceLimits H200 = new DeviceLimits(132, 232448, true, true);
    private static final DeviceLimits A100 = new DeviceLimits(108, 166912, true, false);

    /** The benchmark's latency-bound shapes: the smallest chunk whose (row, chunk) threads fit 512. */
    @Test
    void theBenchmarkShapesTakeTheSmallestChunkThatFits() {
        // RNN H=128: 16 rows per block; 16 chunks of 8 columns
        assertEquals(new ClusterPlan(8, 256, (2 * 16 * 128 + 16 * 16 * 16) * 4),
                ClusterPlan.forward(PersistentPlan.RNN_GATES, 16, 128, H200).orElseThrow());
        // LSTM H=128: 64 rows; chunks of 8 would need 1024 threads, of 16 need 512
        assertEquals(new ClusterPlan(16, 512, (2 * 16 * 128 + 8 * 64 * 16) * 4),
                ClusterPlan.forward(PersistentPlan.LSTM_GATES, 16, 128, H200).orElseThrow());
        // GRU H=128: 48 rows, 8 chunks of 16: 384 threads
        assertEquals(384, ClusterPlan.forward(PersistentPlan.GRU_GATES, 16, 128, H200).orElseThrow().threads());
        // RNN H=256, batch 1 padded to 4 rows: 32 rows, 16 chunks of 16
        assertEquals(new ClusterPlan(16, 512, (2 * 4 * 256 + 16 * 32 * 4) * 4),
                ClusterPlan.forward(PersistentPlan.RNN_GATES, 1, 256, H200).orElseThrow());
    }

    /** Backward a block holds the same weights transposed: one row per unit, G*H columns long. */
    @Test
    void theBackwardPlanCutsEachUnitsColumnOfTheWeightsIntoChunks() {
        // LSTM H=128: 16 rows of 512; chunks of 8 would need 1024 threads, of 16 need 512
        assertEquals(new ClusterPlan(16, 512, (2 * 16 * 32 * 16 + 32 * 16 * 16) * 4),
                ClusterPlan.backward(PersistentPlan.LSTM_GATES, 16, 128, H200).orElseThrow());
        // GRU H=128: 16 rows of 384, 24 chunks of 16
        assertEquals(new ClusterPlan(16, 384, (2 * 16 * 24 * 16 + 24 * 16 * 16) * 4),
                ClusterPlan.backward(PersistentPlan.GRU_GATES, 16, 128, H200).orElseThrow());
        // one gate: the transposed weights cut like the forward's
        assertEquals(ClusterPlan.forward(PersistentPlan.RNN_GATES, 1, 256, H200),
                ClusterPlan.backward(PersistentPlan.RNN_GATES, 1, 256, H200));
        // where the forward does not fit, neither does the backward
        assertEquals(Optional.empty(), ClusterPlan.backward(PersistentPlan.LSTM_GATES, 1, 256, H200));
        assertEquals(Optional.empty(), ClusterPlan.backward(PersistentPlan.LSTM_GATES, 16, 128, A100));
        assertEquals(Optional.empty(), ClusterPlan.backward(PersistentPlan.GRU_GATES, PersistentPlan.MAX_BATCH + 1,
                128, H200));
    }

    @Test
    void weightsNeedingMoreThanOneBlockOfThreadsPerSliceDoNotFit() {
        // LSTM H=256: 128 rows x 8 chunks of 32 = 1024 threads; the grid kernel takes it
        assertEquals(Optional.empty(), ClusterPlan.forward(PersistentPlan.LSTM_GATES, 1, 256, H200));
        assertEquals(Optional.empty(), ClusterPlan.forward(PersistentPlan.GRU_GATES, 1, 256, H200));
        assertTrue(PersistentPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, H200).isPresent());
    }

    @Test
    void tinyLayersRunOneWarpPerBlockAndPadTheirChunk() {
        // H = 1: block 0 owns the unit, blocks 1-7 none; one chunk of 8 columns, 7 of them padding
        ClusterPlan plan = ClusterPlan.forward(PersistentPlan.LSTM_GATES, 3, 1, H200).orElseThrow();
        assertEquals(new ClusterPlan(8, 32, (2 * 4 * 8 + 4 * 4) * 4), plan);
    }

    /**
     * LSTM, B = 16, H = 128: chunk 16 needs 49152 bytes of shared memory, chunk 32 (fewer partial sums) 32768. Where
     * only the second fits, the plan takes it rather than giving up.
     */
    @Test
    void aWiderChunkIsTakenWhereTheNarrowerOnesSharedMemoryDoesNotFit() {
        assertEquals(new ClusterPlan(16, 512, 49152),
                ClusterPlan.forward(PersistentPlan.LSTM_GATES, 16, 128, H200).orElseThrow());
        assertEquals(new ClusterPlan(32, 256, 32768), ClusterPlan.forward(PersistentPlan.LSTM_GATES, 16, 128,
                new DeviceLimits(132, 40_000, true, true)).orElseThrow());
    }

    @Test
    void noPlanWithoutClusterKernelsOrBeyondTheBatchLimitOrSharedMemory() {
        assertEquals(Optional.empty(), ClusterPlan.forward(PersistentPlan.RNN_GATES, 16, 128, A100));
        assertEquals(Optional.empty(), ClusterPlan.forward(PersistentPlan.RNN_GATES, PersistentPlan.MAX_BATCH + 1, 128,
                H200));
        assertEquals(Optional.empty(), ClusterPlan.forward(PersistentPlan.RNN_GATES, 0, 128, H200));
        assertEquals(Optional.empty(), ClusterPlan.forward(PersistentPlan.RNN_GATES, 16, 128,
                new DeviceLimits(132, 1024, true, true)));
    }
}
