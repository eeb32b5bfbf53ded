package dev.unroll.benchmarks;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standalone {@code unroll-bench} command line: what it reports and how it refuses bad requests. */
class BenchCommandTest {

    /** What one run of the standalone command line printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BenchCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] withEjml(String... args) {
        List<String> all = new ArrayList<>(List.of("--backend", "ejml", "--warmup", "0", "--warmup-ms", "0",
                "--iterations", "1"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    void aBadValueIsOneLineWithoutAStackTrace() {
        String[][] cases = {{"--T", "0"}, {"--hidden", "-1"}, {"--gemm", "--gemm-size", "50000"},
                {"--gemm", "--gemm-size", "0"}};
        for (String[] bad : cases) {
            Run run = run(withEjml(bad));

            String what = String.join(" ", bad) + ":\n" + run.err();
            assertEquals(1, run.exitCode(), what);
            assertTrue(run.err().startsWith("unroll-bench: error: "), what);
            assertEquals(1, run.err().lines().count(), what);
            assertEquals("", run.out(), what);
        }
    }

    @Test
    void aGemmSizeTooLargeForOneArrayNamesTheRange() {
        Run run = run(withEjml("--gemm", "--gemm-size", "50000"));

        assertTrue(run.err().contains("--gemm-size") && run.err().contains("between 1 and " + GemmBenchmark.MAX_SIZE)
                && run.err().contains("was 50000"), run.err());
    }

    @Test
    void anUnknownCellIsABadOptionNamingTheKnownOnes() {
        Run run = run(withEjml("--cell", "foo"));

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("unknown cell type 'foo'"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace:\n" + run.err());
    }

    @Test
    void hostThreadsAreReportedForHostBackendsOnly() {
        assertEquals(3, BenchCommand.hostThreads("cpu", 3));
        assertEquals(Runtime.getRuntime().availableProcessors(), BenchCommand.hostThreads("ejml", null));
        // a GPU backend's speed is not set by host threads: the JSON line says null, not the host's cores
        assertNull(BenchCommand.hostThreads("cuda", null));
        assertNull(BenchCommand.hostThreads("cuda", 4));
    }

    @Test
    void theGemmLineReportsTheSizeAndThreads() {
        Run run = run(withEjml("--gemm", "--gemm-size", "8", "--threads", "1"));

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().trim().matches("\\{\"backend\":\"ejml\",\"gemm_n\":8,\"threads\":1,\"gemm_ms\":[0-9.]+,"
                + "\"gflops\":[0-9.]+}"), run.out());
    }
}
