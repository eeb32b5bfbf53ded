package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistentPlanTest {
    /** An H100 SXM: 132 multiprocessors, 227 KiB of opt-in shared memory per block, cooperative launch. */
    private static final DeviceLimits H100 = new DeviceLimits(132, 232448, true, true);

    @Test
    void theLatencyShapeSpreadsTwoUnitsPerBlockOverTheMultiprocessors() {
        PersistentPlan plan = PersistentPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, H100).orElseThrow();
        assertEquals(2, plan.unitsPerBlock());
        assertEquals(128, plan.blocks());
        // 8 weight rows of 256, h_{t-1} of 256, 8 pre-activations.
        assertEquals((8 * 256 + 256 + 8) * 4, plan.sharedBytes());
    }

    @Test
    void theGateCountSizesTheWeightSlice() {
        assertEquals((6 * 256 + 256 + 6) * 4,
                PersistentPlan.plan(PersistentPlan.GRU_GATES, 1, 256, H100).orElseThrow().sharedBytes());
        assertEquals((2 * 256 + 256 + 2) * 4,
                PersistentPlan.plan(PersistentPlan.RNN_GATES, 1, 256, H100).orElseThrow().sharedBytes());
    }

    @Test
    void aHiddenSizeThatDoesNotDivideLeavesTheLastBlockShort() {
        PersistentPlan plan = PersistentPlan.plan(PersistentPlan.LSTM_GATES, 3, 1000, H100).orElseThrow();
        assertEquals(8, plan.unitsPerBlock());
        assertEquals(125, plan.blocks());
        PersistentPlan tiny = PersistentPlan.plan(PersistentPlan.LSTM_GATES, 1, 1, H100).orElseThrow();
        assertEquals(1, tiny.unitsPerBlock());
        assertEquals(1, tiny.blocks());
    }

    @Test
    void largeHiddenSizesFitWhileTheirWeightSliceFitsSharedMemory() {
        PersistentPlan plan = PersistentPlan.plan(PersistentPlan.LSTM_GATES, 8, 1024, H100).orElseThrow();
        assertEquals(8, plan.unitsPerBlock());
        assertEquals((32 * 1024 + 8 * 1024 + 32 * 8) * 4, plan.sharedBytes());
        assertTrue(plan.sharedBytes() <= H100.maxSharedBytesOptIn());
        // 2048: 16 units per block need 64 rows of 2048 floats, 512 KiB: no.
        assertEquals(Optional.empty(), PersistentPlan.plan(PersistentPlan.LSTM_GATES, 8, 2048, H100));
        // A plain RNN needs a quarter of that: 16 rows of 2048 floats fit.
        assertTrue(PersistentPlan.plan(PersistentPlan.RNN_GATES, 8, 2048, H100).isPresent());
    }

    @Test
    void onlySmallBatchesOnDevicesWithCooperativeLaunch() {
        assertTrue(PersistentPlan.plan(PersistentPlan.LSTM_GATES, PersistentPlan.MAX_BATCH, 256, H100).isPresent());
        assertEquals(Optional.empty(),
                PersistentPlan.plan(PersistentPlan.LSTM_GATES, PersistentPlan.MAX_BATCH + 1, 256, H100));
        assertEquals(Optional.empty(),
                PersistentPlan.plan(PersistentPlan.LSTM_GATES, 1, 256, new DeviceLimits(132, 232448, false, true)));
    }
}
