package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterRefusalsTest {
    private static final ClusterPlan PLAN = new ClusterPlan(8, 512, 98_304);

    @Test
    void onlyALaunchRefusedForItsShapeFallsBack() {
        assertTrue(ClusterRefusals.isRefusal(ClusterRefusals.INVALID_CLUSTER_SIZE));
        assertTrue(ClusterRefusals.isRefusal(ClusterRefusals.LAUNCH_OUT_OF_RESOURCES));
        // a fault on the device (sticky, the context is lost) or anything else is not a refusal: it propagates
        assertFalse(ClusterRefusals.isRefusal(700));  // CUDA_ERROR_ILLEGAL_ADDRESS
        assertFalse(ClusterRefusals.isRefusal(719));  // CUDA_ERROR_LAUNCH_FAILED
        assertFalse(ClusterRefusals.isRefusal(2));    // CUDA_ERROR_OUT_OF_MEMORY
        assertFalse(ClusterRefusals.isRefusal(0));
    }

    @Test
    void aRefusedLaunchIsNotPlannedAgainButOtherShapesAndKernelsAre() {
        ClusterRefusals refusals = new ClusterRefusals();
        assertTrue(refusals.allows(Kernel.LSTM_CLUSTER_BACKWARD, PLAN));
        refusals.refuse(Kernel.LSTM_CLUSTER_BACKWARD, PLAN);
        assertFalse(refusals.allows(Kernel.LSTM_CLUSTER_BACKWARD, new ClusterPlan(8, 512, 98_304)));
        assertTrue(refusals.allows(Kernel.LSTM_CLUSTER_BACKWARD, new ClusterPlan(16, 256, 98_304)));
        assertTrue(refusals.allows(Kernel.LSTM_CLUSTER_BACKWARD, new ClusterPlan(8, 512, 40_000)));
        assertTrue(refusals.allows(Kernel.LSTM_CLUSTER_FORWARD, PLAN));
    }

    @Test
    void theDriversResultTravelsWithTheException() {
        CudaException e = new CudaException("cuLaunchKernel(x) failed", ClusterRefusals.INVALID_CLUSTER_SIZE);
        assertTrue(ClusterRefusals.isRefusal(e.driverResult()));
        assertFalse(ClusterRefusals.isRefusal(new CudaException("no driver call").driverResult()));
    }
}
