package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPlanTest {
    private static final DeviceLimits H200 = new DeviceLimits(132, 232448, true, true);
    private static final DeviceLimits A100 = new DeviceLimits(108, 166912, true, false);

    /**
     * The benchmark's latency-bound shapes: a thread per two rows and chunk of 16 columns, or per (unit, batch row)
     * where those are more; shared memory for two h buffers and the partial sums.
     */
    @Test
    void theBenchmarkShapesGetAThreadPerRowPairAndChunkOrPerUnitAndBatchRow() {
        // LSTM H=128: 64 rows per block, 32 pairs x 8 chunks = 256 = 16 units x 16 batch rows
        assertEquals(new ClusterPlan(256, (2 * 16 * 128 + 8 * 64 * 16) * 4),
                ClusterPlan.plan(PersistentPlan.LSTM_GATES, 16, 128, H200).orElseThrow());
        // GRU H=128: 24 pairs x 8 chunks = 192, but 16 x 16 (unit, batch row) pairs
        assertEquals(256, ClusterPlan.plan(PersistentPlan.GRU_GATES, 16, 128, H200).orElseThrow().threads());
        // RNN H=128: 8 pairs x 8 chunks = 64; the pointwise step needs 256
        assertEquals(256, ClusterPlan.plan(PersistentPlan.RNN_GATES, 16, 128, H200).orElseThrow().threads());
        // RNN H=256, batch 1 padded to 4 rows: 16 pairs x 16 chunks
        assertEquals(new ClusterPlan(256, (2 * 4 * 256 + 16 * 32 * 4) * 4),
                ClusterPlan.plan(PersistentPlan.RNN_GATES, 1, 256, H200).orElseThrow());
    }

    @Test
    void weightsNeedingMoreThanOneBlockOfThreadsPerSliceDoNotFit() {
        // LSTM H=256: 64 pairs x 16 chunks = 1024 threads; the grid kernel takes it
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, H200));
        assertEquals(Optional.empty(), ClusterPlan.plan(PersistentPlan.GRU_GATES, 1, 256, H200));
        assertTrue(PersistentPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, H200).isPresent());
    }

    @Test
    void tinyLayersRunOneWarpPerBlockAndPadTheirChunk() {
        // H = 1: block 0 owns the unit, blocks 1-7 none; one chunk of 16 columns, 15 of them padding
        assertEquals(new ClusterPlan(32, (2 * 4 * 16 + 4 * 4) * 4),
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
