package dev.unroll.benchmarks;

import dev.unroll.api.Backend;
import dev.unroll.api.config.Backends;
import dev.unroll.cells.CellType;
import dev.unroll.cells.InputGradient;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark harness runs end to end and reports what it says; its timings are not judged here. */
class RecurrentBenchmarkTest {

    @Test
    void forwardGemmFlopsCountTheInputAndRecurrentProducts() {
        RecurrentBenchmark.Spec lstm = new RecurrentBenchmark.Spec(CellType.LSTM, 50, 64, 512, 512,
                InputGradient.COMPUTE, 0, 0, 1, 1);
        // 2 T B (4H) (I + H) = 2 * 50 * 64 * 2048 * 1024
        assertEquals(13_421_772_800.0, lstm.forwardGemmFlops());
        assertEquals(3 * 13_421_772_800.0, lstm.forwardBackwardGemmFlops());
        // without dx: 2 T B (4H) I = 2 * 50 * 64 * 2048 * 512 fewer
        RecurrentBenchmark.Spec noDx = new RecurrentBenchmark.Spec(CellType.LSTM, 50, 64, 512, 512,
                InputGradient.SKIP, 0, 0, 1, 1);
        assertEquals(3 * 13_421_772_800.0 - 6_710_886_400.0, noDx.forwardBackwardGemmFlops());
    }

    @Test
    void runsEveryCellOnEveryBundledBackend() {
        for (String name : new String[] {"ejml", "cpu"}) {
            try (Backend backend = Backends.create(name)) {
                for (CellType cell : CellType.values()) {
                    RecurrentBenchmark.Timing t = RecurrentBenchmark.run(backend,
                            new RecurrentBenchmark.Spec(cell, 3, 2, 5, 4, InputGradient.SKIP, 1, 0, 3, 1));
                    assertTrue(t.forwardMillis() > 0 && t.forwardBackwardMillis() > 0, name + " " + cell + ": " + t);
                }
            }
        }
    }

    @Test
    void commandLinePrintsOneJsonLineWithTheAskedShape() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchCommand()).execute("--backend", "ejml", "--cell", "gru", "--T", "3",
                    "--batch", "2", "--input", "5", "--hidden", "4", "--threads", "1", "--warmup", "0", "--warmup-ms", "0",
                    "--iterations", "1");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, exit);
        String line = bytes.toString(StandardCharsets.UTF_8).trim();
        assertTrue(line.matches("\\{\"backend\":\"ejml\",\"cell\":\"gru\",\"T\":3,\"B\":2,\"I\":5,\"H\":4,"
                + "\"threads\":1,\"input_grad\":false,\"fwd_ms\":[0-9.]+,\"fwd_bwd_ms\":[0-9.]+}"), line);
    }
}
