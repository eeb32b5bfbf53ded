package dev.unroll.backend.cpu;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A closed executor's workers have exited, so a call it would split across them must fail at once: before, it
 * handed the parts to the dead workers and parked forever waiting for them (reached through a recurrent product
 * used after its backend closed).
 */
class RangeExecutorAfterCloseTest {
    /** Far above the inline run of an empty task; before the fix the call never returned. */
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    @Test
    void aSplitCallAfterCloseFailsInsteadOfWaitingForever() {
        RangeExecutor executor = new RangeExecutor(2);
        executor.close();
        // 100 items estimated at 1 ms: well above PARALLEL_MIN_NANOS, so it would be split across both threads.
        assertThrows(IllegalStateException.class, () -> assertTimeoutPreemptively(NO_HANG,
                () -> executor.forRange(100, 1e6, (part, from, to) -> { })));
    }

    @Test
    void anInlineCallAfterCloseFailsToo() {
        RangeExecutor executor = new RangeExecutor(2);
        executor.close();
        // Below PARALLEL_MIN_NANOS it would run on the caller alone: still refused, the backend is gone.
        assertThrows(IllegalStateException.class, () -> executor.forRange(1, 1, (part, from, to) -> { }));
    }
}
