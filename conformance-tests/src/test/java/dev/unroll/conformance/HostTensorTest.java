package dev.unroll.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class HostTensorTest {

    @Test
    void timeStepsAreWholeStepsOfATimeMajorSequence() {
        // [T=3, B=2, F=2]: step t holds 10t + (0, 1, 2, 3)
        HostTensor seq = new HostTensor(new int[] {3, 2, 2}, new double[] {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23});
        HostTensor tail = seq.timeSteps(1, 2);
        assertArrayEquals(new int[] {2, 2, 2}, tail.shape());
        assertArrayEquals(new double[] {10, 11, 12, 13, 20, 21, 22, 23}, tail.values());
        assertArrayEquals(new double[] {0, 1, 2, 3}, seq.timeSteps(0, 1).values());
    }
}
