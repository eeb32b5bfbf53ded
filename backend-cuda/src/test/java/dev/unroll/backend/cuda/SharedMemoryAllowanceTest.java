package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SharedMemoryAllowanceTest {
    private static final Kernel KERNEL = Kernel.LSTM_CLUSTER_FORWARD;

    @Test
    void aSmallerLaunchNeverLowersWhatALargerOneWasAllowed() {
        SharedMemoryAllowance allowance = new SharedMemoryAllowance();
        List<Integer> attributeCalls = new ArrayList<>();
        allowance.allow(KERNEL, 98_304, attributeCalls::add);   // one backend instance's cluster launch
        allowance.allow(KERNEL, 20_000, attributeCalls::add);   // another instance, a smaller shape
        allowance.allow(KERNEL, 98_304, attributeCalls::add);   // the first again: already allowed
        allowance.allow(KERNEL, 110_000, attributeCalls::add);  // more: raised
        assertEquals(List.of(98_304, 110_000), attributeCalls);
        assertEquals(110_000, allowance.allowed(KERNEL));
    }

    @Test
    void withinTheDefaultNoAttributeIsSet() {
        SharedMemoryAllowance allowance = new SharedMemoryAllowance();
        allowance.allow(KERNEL, 0, bytes -> {
            throw new AssertionError("set to " + bytes);
        });
        assertEquals(0, allowance.allowed(KERNEL));
    }

    @Test
    void aRefusedAttributeIsNotRecordedAsAllowed() {
        SharedMemoryAllowance allowance = new SharedMemoryAllowance();
        assertThrows(CudaException.class, () -> allowance.allow(KERNEL, 200_000, bytes -> {
            throw new CudaException("cuFuncSetAttribute refused " + bytes);
        }));
        assertEquals(0, allowance.allowed(KERNEL));
        List<Integer> attributeCalls = new ArrayList<>();
        allowance.allow(KERNEL, 50_000, attributeCalls::add);
        assertEquals(List.of(50_000), attributeCalls);
    }
}
