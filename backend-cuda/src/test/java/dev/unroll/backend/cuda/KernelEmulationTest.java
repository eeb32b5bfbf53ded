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

    /**
     * Built with AddressSanitizer and UndefinedBehaviorSanitizer where g++ has them (a planted write one element past
     * an output passed the plain build and failed this one), plainly elsewhere.
     */
    @Test
    void everyKernelMatchesItsReferenceOnTheCpu() throws Exception {
        assumeEmulationTools();
        String[] sanitizers = {"-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"};
        String sanitizersMissing = sanitizerMissing(sanitizers);
        Path binary = sanitizersMissing == null ? compile("kernels", sanitizers) : compile("kernels");
        Result run = exec(List.of(binary.toString()));
        String built = sanitizersMissing == null ? "with AddressSanitizer and UndefinedBehaviorSanitizer"
                : "without sanitizers (" + sanitizersMissing + ")";
        assertEquals(0, run.exitCode(), "kernel checks, built " + built + ", failed:\n" + run.output());
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
        String missing = sanitizerMissing("-fsanitize=thread");
        assumeTrue(missing == null, missing);
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

    /**
     * Null where g++ builds a small threaded program with {@code flags} and it runs; else why not (no sanitizer
     * runtime installed, or a machine it cannot run on).
     */
    private static String sanitizerMissing(String... flags) throws Exception {
        Path dir = Files.createDirectories(KernelSources.MODULE.resolve("target/kernel-emulation"));
        Path probe = dir.resolve("sanitizer-probe.cpp");
        Files.writeString(probe, "#include <thread>\nint main() { std::thread t([] {}); t.join(); return 0; }\n");
        Path binary = dir.resolve("sanitizer-probe");
        List<String> command = new ArrayList<>(List.of("g++", "-std=c++20", "-pthread"));
        command.addAll(List.of(flags));
        command.addAll(List.of(probe.toString(), "-o", binary.toString()));
        Result compile = exec(command);
        if (compile.exitCode() != 0) {
            return "g++ cannot build with " + String.join(" ", flags) + " here: " + compile.output().strip();
        }
        Result run = exec(List.of(binary.toString()));
        return run.exitCode() == 0 ? null
                : String.join(" ", flags) + " builds but does not run on this machine: " + run.output().strip();
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
