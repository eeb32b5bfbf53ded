package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Device memory is allocated once per shape and all of it is given back: 1,000 forward and backward passes
 * (allocating fresh tensors each time, as a training loop would) neither grow the pool nor leave anything
 * behind after close. Skipped, with the reason, without a usable GPU.
 */
class DeviceMemoryGpuTest {

    @Test
    void oneThousandForwardBackwardIterationsReturnFreeMemoryToWhereItStarted() {
        CudaAvailable.assumeGpu();
        // The first backend keeps the primary context alive, and its warm-up run makes the context reserve
        // whatever it reserves lazily (kernel stacks, graph memory), so the baseline is the steady state.
        try (CudaBackend context = CudaBackend.open(0)) {
            iterations(context, 2);
            long freeBefore = context.deviceMemoryInfo()[0];

            try (CudaBackend cuda = CudaBackend.open(0)) {
                iterations(cuda, 1);
                long reservedAfterFirst = cuda.bytesReserved();
                long allocationsAfterFirst = cuda.driverAllocations();
                long freeAfterFirst = cuda.deviceMemoryInfo()[0];

                iterations(cuda, 1000);

                assertEquals(allocationsAfterFirst, cuda.driverAllocations(), "cuMemAlloc calls after the first iteration");
                assertEquals(reservedAfterFirst, cuda.bytesReserved(), "bytes held by the pool");
                assertEquals(freeAfterFirst, cuda.deviceMemoryInfo()[0], "free device memory during the iterations");
                assertEquals(0, cuda.liveTensorCount(), "tensors left open");
            }
            assertEquals(freeBefore, context.deviceMemoryInfo()[0], "free device memory after close");
        }
    }

    /** {@code count} forward/backward passes over fresh tensors of the same shapes each time. */
    private static void iterations(CudaBackend cuda, int count) {
        Random rnd = new Random(1);
        int steps = 10;
        int batch = 4;
        int hidden = 16;
        float[] weights = HostMath.random(rnd, 4 * hidden * hidden, 0.2f);
        float[] input = HostMath.random(rnd, steps * batch * 4 * hidden, 1);
        for (int i = 0; i < count; i++) {
            try (LstmSequence seq = new LstmSequence(cuda, steps, batch, hidden, weights);
                 Tensor grad = cuda.allocate(DType.FLOAT32, 4 * hidden, hidden)) {
                seq.input.copyFrom(input);
                seq.forward();
                seq.backward();
                cuda.copy(seq.dWeights, grad);
                cuda.sumOfSquares(grad);
            }
        }
    }
}
