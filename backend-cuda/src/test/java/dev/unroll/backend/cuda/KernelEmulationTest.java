package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel of {@code src/main/cuda}, compiled as C++ with a CPU stand-in for the CUDA runtime
 * ({@code src/test/cuda/cuda_emulation.h}) and run against plain references: the SGEMM's four transpose cases,
 * tiled and skinny, on ragged shapes; reductions with the grid-stride loops exercised; softmax on rows wider and
 * narrower than a block; the fused steps bit for bit against the composite order. This is how kernels are
 * checked on machines without a GPU; the GPU tests then check the same on the device.
 */
class KernelEmulationTest {
    private static final Path SOURCE = KernelSources.MODULE.resolve("src/test/cuda/kernel_emulation_test.cpp");

    @Test
    void everyKernelMatchesItsReferenceOnTheCpu() throws Exception {
        assumeEmulationTools();
        Path binary = compile("kernels");
        Result run = exec(List.of(binary.toString()));
        assertEquals(0, run.exitCode(), "kernel checks failed:\n" + run.output());
        assertTrue(run.output().contains("0 failed"), run.output());
    }

    /**
     * The cluster kernels' blocks exchange values through each other's shared memory, and a missing or misplaced
     * cluster barrier is the bug a GPU shows only sometimes. Under ThreadSanitizer the emulation reports every such
     * exchange that no barrier orders, whatever the timing of the run (a planted missing barrier in the backward
     * kernel, and a single buffer in place of the double one, were both reported). The grid kernels are not run
     * here: they order their steps with fences ThreadSanitizer does not model.
     */
    @Test
    void theClusterKernelsHaveNoDataRaceUnderThreadSanitizer() throws Exception {
        assumeEmulationTools();
        assumeThreadSanitizerRuns();
        Path binary = compile("cluster-races", "-g", "-fsanitize=thread");
        Result run = exec(List.of(binary.toString(), "--cluster-races"));
        assertEquals(0, run.exitCode(), "cluster kernel checks under ThreadSanitizer failed:\n" + run.output());
        assertTrue(run.output().contains("0 failed"), run.output());
        assertFalse(run.output().contains("ThreadSanitizer"), run.output());
    }

    private static void assumeEmulationTools() {
        assumeTrue(Files.isRegularFile(SOURCE), "emulation sources not found under " + KernelSources.MODULE);
        assumeTrue(onPath("g++"), "g++ (C++20) not installed: kernels are not emulated on this machine");
    }

    /** Skips, with the reason, where g++ has no ThreadSanitizer runtime or this machine cannot run it. */
    private static void assumeThreadSanitizerRuns() throws Exception {
        Path dir = Files.createDirectories(KernelSources.MODULE.resolve("target/kernel-emulation"));
        Path probe = dir.resolve("tsan-probe.cpp");
        Files.writeString(probe, "#include <thread>\nint main() { std::thread t([] {}); t.join(); return 0; }\n");
        Path binary = dir.resolve("tsan-probe");
        Result compile = exec(List.of("g++", "-std=c++20", "-pthread", "-fsanitize=thread", probe.toString(), "-o",
                binary.toString()));
        assumeTrue(compile.exitCode() == 0, "g++ cannot build with -fsanitize=thread here:\n" + compile.output());
        Result run = exec(List.of(binary.toString()));
        assumeTrue(run.exitCode() == 0, "ThreadSanitizer does not run on this machine:\n" + run.output());
    }

    /** Compiles the emulation test into {@code target/kernel-emulation/<name>}, failing on any compile error. */
    private static Path compile(String name, String... extraFlags) throws Exception {
        Path binary = KernelSources.MODULE.resolve("target/kernel-emulation/" + name);
        Files.createDirectories(binary.getParent());
        List<String> command = new ArrayList<>(List.of("g++", "-std=c++20", "-O1", "-pthread", "-ffp-contract=off"));
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-I" + KernelSources.CUDA_SOURCES, SOURCE.toString(), "-o", binary.toString()));
        Result compile = exec(command);
        assertEquals(0, compile.exitCode(), "compiling the kernels for the CPU failed:\n" + compile.output());
        return binary;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Result(p.exitValue(), output);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
