package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assumeTrue(Files.isRegularFile(SOURCE), "emulation sources not found under " + KernelSources.MODULE);
        assumeTrue(onPath("g++"), "g++ (C++20) not installed: kernels are not emulated on this machine");
        Path binary = KernelSources.MODULE.resolve("target/kernel-emulation/kernels");
        Files.createDirectories(binary.getParent());
        Result compile = exec(List.of("g++", "-std=c++20", "-O1", "-pthread", "-ffp-contract=off",
                "-I" + KernelSources.CUDA_SOURCES, SOURCE.toString(), "-o", binary.toString()));
        assertEquals(0, compile.exitCode(), "compiling the kernels for the CPU failed:\n" + compile.output());
        Result run = exec(List.of(binary.toString()));
        assertEquals(0, run.exitCode(), "kernel checks failed:\n" + run.output());
        assertTrue(run.output().contains("0 failed"), run.output());
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
