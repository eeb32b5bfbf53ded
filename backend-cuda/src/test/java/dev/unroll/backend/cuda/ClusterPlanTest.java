package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPlanTest {
    private static final DeviceLimits H200 = new DeviceLimits(132, 232448, true, true);
    private static final DeviceLimits A100 = new DeviceLimits(108, 166912, true, false);

    /**
     * The benchmark's latency-bound shapes: two rows of 16 columns per thread from 64 rows per block, else one row
     * at the smallest chunk that fits; at least a thread per (unit, batch row); shared memory for two h buffers and
     * the partial sums.
     */
    @Test
    void theBenchmarkShapesGetTheirSplit() {
        // LSTM H=128: 64 rows per block, 32 pairs x 8 chunks of 16 = 256 = 16 units x 16 batch rows
        assertEquals(new ClusterPlan(16, 2, 256, (2 * 16 * 128 + 8 * 64 * 16) * 4),
                ClusterPlan.plan(PersistentPlan.LSTM_GATES, 16, 128, H200).orElseThrow());
        // GRU H=128: 48 rows; chunks of 8 would need 768 threads, of 16 need 384
        assertEquals(new ClusterPlan(16, 1, 384, (2 * 16 * 128 + 8 * 48 * 16) * 4),
                ClusterPlan.plan(PersistentPlan.GRU_GATES, 16, 128, H200).orElseThrow());
        // RNN H=128: 16 rows x 16 chunks of 8 = 256
        assertEquals(new ClusterPlan(8, 1, 256, (2 * 16 * 128 + 16 * 16 * 16) * 4),
                ClusterPlan.plan(PersistentPlan.RNN_GATES, 16, 128, H200).orElseThrow());
        // RNN H=256, batch 1 padded to 4 rows: 32 rows x 16 chunks of 16
        assertEquals(new ClusterPlan(16, 1, 512, (2 * 4 * 256 + 16 * 32 * 4) * 4),
                ClusterPlan.plan(PersistentPlan.RNN_GATES, 1, 256, H200).orElseThrow());
    }

    @Test
    void morePointwisePairsThanProductThreadsGetTheirOwnThreads() {
        // RNN H=64 batch 11: 8 rows x 8 chunks = 64 product threads, 8 units x 11 batch rows = 88 pointwise
        assertEquals(96, ClusterPlan.plan(PersistentPlan.RNN_GATES, 11, 64, H200).orElseThrow().threads());
    }

    @Test
    void weightsNeedingMoreThanOneBlockOfThreadsPerSliceDoNotFit() {
        // LSTM H=256: 128 rows, 64 pairs x 16 chunks = 1024 threads; the grid kernel takes it
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, H200));
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.GRU_GATES, 1, 256, H200));
        assertTrue(PersistentPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, H200).isPresent());
    }

    @Test
    void tinyLayersRunOneWarpPerBlockAndPadTheirChunk() {
        // H = 1: block 0 owns the unit, blocks 1-7 none; one chunk of 8 columns, 7 of them padding
        assertEquals(new ClusterPlan(8, 1, 32, (2 * 4 * 8 + 4 * 4) * 4),
                ClusterPlan.plan(PersistentPlan.LSTM_GATES, 3, 1, H200).orElseThrow());
    }

    @Test
    void noPlanWithoutClusterKernelsOrBeyondTheBatchLimitOrSharedMemory() {
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.RNN_GATES, 16, 128, A100));
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.RNN_GATES, PersistentPlan.MAX_BATCH + 1, 128,
                H200));
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.RNN_GATES, 0, 128, H200));
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.RNN_GATES, 16, 128,
                new DeviceLimits(132, 1024, true, true)));
    }
}
