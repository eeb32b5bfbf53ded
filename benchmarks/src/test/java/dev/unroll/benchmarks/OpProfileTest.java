package dev.unroll.benchmarks;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;
import dev.unroll.api.config.Backends;
import dev.unroll.cells.CellType;
import dev.unroll.cells.InputGradient;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-operation profile counts every call once and charges each its self time. */
class OpProfileTest {

    @Test
    void anSpiDefaultIsTimedThroughTheOperationsItCalls() {
        // ejml does not override lstmSequenceForward: its steps' GEMMs and fused steps must show one by one
        try (Backend ejml = Backends.create("ejml")) {
            OpProfile profile = OpProfile.of(ejml);
            Backend timed = profile.backend();
            int steps = 3;
            int batch = 2;
            int hidden = 4;
            try (Tensor gates = timed.allocate(DType.FLOAT32, steps * batch, 4 * hidden);
                 Tensor w = timed.allocate(DType.FLOAT32, 4 * hidden, hidden);
                 Tensor states = timed.allocate(DType.FLOAT32, (steps + 1) * batch, hidden);
                 Tensor cells = timed.allocate(DType.FLOAT32, (steps + 1) * batch, hidden)) {
                profile.reset();
                timed.lstmSequenceForward(TimeDirection.FORWARD, null, gates, w, states, cells);
            }
            Map<String, Long> calls = profile.entries().stream()
                    .collect(Collectors.toMap(OpProfile.Entry::operation, OpProfile.Entry::calls));
            assertEquals(1L, calls.get("lstmSequenceForward"), calls.toString());
            assertEquals((long) steps, calls.get("gemm"), calls.toString());
            assertEquals((long) steps, calls.get("lstmStepForward"), calls.toString());
        }
    }

    @Test
    void selfTimesAddUpToNoMoreThanTheWallTime() {
        try (Backend ejml = Backends.create("ejml")) {
            OpProfile profile = OpProfile.of(ejml);
            Backend timed = profile.backend();
            try (Tensor gates = timed.allocate(DType.FLOAT32, 40 * 8, 4 * 32);
                 Tensor w = timed.allocate(DType.FLOAT32, 4 * 32, 32);
                 Tensor states = timed.allocate(DType.FLOAT32, 41 * 8, 32);
                 Tensor cells = timed.allocate(DType.FLOAT32, 41 * 8, 32)) {
                profile.reset();
                long start = System.nanoTime();
                timed.lstmSequenceForward(TimeDirection.FORWARD, null, gates, w, states, cells);
                long wall = System.nanoTime() - start;
                long self = profile.entries().stream().mapToLong(OpProfile.Entry::selfNanos).sum();
                // self times are disjoint intervals inside the call; nested calls counted twice would exceed it
                assertTrue(self <= wall, "self times " + self + " ns exceed the wall time " + wall + " ns");
            }
            String table = profile.table("forward", 1);
            assertTrue(table.startsWith("forward: ") && table.contains("lstmStepForward"), table);
        }
    }

    @Test
    void profileOfTheBenchmarkNamesBothPasses() {
        try (Backend ejml = Backends.create("ejml")) {
            String tables = RecurrentBenchmark.profile(ejml,
                    new RecurrentBenchmark.Spec(CellType.GRU, 3, 2, 5, 4, InputGradient.COMPUTE, 0, 0, 2, 1));
            assertTrue(tables.contains("forward, GRU (3, 2, 5, 4) on ejml")
                    && tables.contains("forward+backward, GRU (3, 2, 5, 4) on ejml"), tables);
        }
    }
}
