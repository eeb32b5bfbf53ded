package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistentLstmPlanTest {
    /** An H100 SXM: 132 multiprocessors, 227 KiB of opt-in shared memory per block, cooperative launch. */
    private static final PersistentLstmPlan.DeviceLimits H100 = new PersistentLstmPlan.DeviceLimits(132, 232448, true);

    @Test
    void theLatencyShapeSpreadsTwoUnitsPerBlockOverTheMultiprocessors() {
        PersistentLstmPlan plan = PersistentLstmPlan.plan(1, 256, H100).orElseThrow();
        assertEquals(2, plan.unitsPerBlock());
        assertEquals(128, plan.blocks());
        // 8 weight rows of 256, h_{t-1} of 256, 8 pre-activations.
        assertEquals((8 * 256 + 256 + 8) * 4, plan.sharedBytes());
    }

    @Test
    void aHiddenSizeThatDoesNotDivideLeavesTheLastBlockShort() {
        PersistentLstmPlan plan = PersistentLstmPlan.plan(3, 1000, H100).orElseThrow();
        assertEquals(8, plan.unitsPerBlock());
        assertEquals(125, plan.blocks());
        PersistentLstmPlan tiny = PersistentLstmPlan.plan(1, 1, H100).orElseThrow();
        assertEquals(1, tiny.unitsPerBlock());
        assertEquals(1, tiny.blocks());
    }

    @Test
    void largeHiddenSizesFitWhileTheirWeightSliceFitsSharedMemory() {
        PersistentLstmPlan plan = PersistentLstmPlan.plan(8, 1024, H100).orElseThrow();
        assertEquals(8, plan.unitsPerBlock());
        assertEquals((32 * 1024 + 8 * 1024 + 32 * 8) * 4, plan.sharedBytes());
        assertTrue(plan.sharedBytes() <= H100.maxSharedBytesOptIn());
        // 2048: 16 units per block need 64 rows of 2048 floats, 512 KiB: no.
        assertEquals(Optional.empty(), PersistentLstmPlan.plan(8, 2048, H100));
    }

    @Test
    void onlySmallBatchesOnDevicesWithCooperativeLaunch() {
        assertTrue(PersistentLstmPlan.plan(PersistentLstmPlan.MAX_BATCH, 256, H100).isPresent());
        assertEquals(Optional.empty(), PersistentLstmPlan.plan(PersistentLstmPlan.MAX_BATCH + 1, 256, H100));
        assertEquals(Optional.empty(),
                PersistentLstmPlan.plan(1, 256, new PersistentLstmPlan.DeviceLimits(132, 232448, false)));
    }
}
