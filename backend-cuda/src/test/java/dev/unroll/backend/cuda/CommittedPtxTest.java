package dev.unroll.backend.cuda;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed PTX must be what the committed sources compile to. Runs only where nvcc is installed (where a
 * stale PTX could have been regenerated); the Maven validate phase runs the script's hash check as well, so a
 * build with {@code -DskipTests} is guarded too.
 */
class CommittedPtxTest {

    @BeforeEach
    void needsSourcesAndNvcc() {
        assumeTrue(KernelSources.present(), "kernel sources not found under " + KernelSources.MODULE
                + " (not a Maven run of backend-cuda)");
        assumeTrue(KernelSources.nvcc().isPresent(), "nvcc not installed: the committed PTX cannot be regenerated here,"
                + " so its freshness is not checked");
    }

    @Test
    void everySourceHasACommittedPtxAndNoPtxLacksASource() throws IOException {
        List<String> sources = KernelSources.modules(KernelSources.CUDA_SOURCES);
        List<String> ptx;
        try (Stream<Path> files = Files.list(KernelSources.PTX_FOLDER)) {
            ptx = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ptx"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        assertEquals(sources, ptx, "modules in src/main/cuda vs committed PTX");
        assertEquals(sources, KernelModules.all(), "modules in src/main/cuda vs the Kernel catalog");
    }

    @Test
    void everyCommittedPtxWasCompiledFromTheCurrentSources() {
        for (String module : KernelSources.modules(KernelSources.CUDA_SOURCES)) {
            String expected = KernelSources.sourceHash(KernelSources.CUDA_SOURCES, module);
            String recorded = PtxResource.load(module).sourceHash().orElse("(none)");
            assertEquals(expected, recorded, module + ".ptx is stale: run backend-cuda/scripts/compile-kernels.sh");
        }
    }

    @Test
    void everyCommittedPtxEqualsAFreshCompileWithTheSameNvcc(@TempDir Path work) throws Exception {
        Path nvcc = KernelSources.nvcc().orElseThrow();
        String localVersion = run(work, nvcc.toString(), "--version").lines().filter(l -> l.contains("release"))
                .findFirst().orElse("").strip();
        for (String module : KernelSources.modules(KernelSources.CUDA_SOURCES)) {
            PtxResource committed = PtxResource.load(module);
            String recordedVersion = committed.header(PtxResource.NVCC_KEY).orElse("");
            assumeTrue(recordedVersion.equals(localVersion), "the PTX was made by '" + recordedVersion
                    + "' but this nvcc is '" + localVersion + "': outputs of different versions differ");
            List<String> command = new java.util.ArrayList<>();
            command.add(nvcc.toString());
            command.addAll(List.of(committed.header(PtxResource.FLAGS_KEY).orElseThrow().split(" ")));
            Path out = work.resolve(module + ".ptx");
            command.addAll(List.of("-o", out.toString(), module + ".cu"));
            run(KernelSources.CUDA_SOURCES, command.toArray(String[]::new));
            String fresh = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(fresh, committed.body(),
                    module + ".ptx differs from a fresh compile of " + module + ".cu");
        }
    }

    @Test
    void theBuildCheckFailsOnAnEditedSourceAndPassesOnTheCommittedOne(@TempDir Path copy) throws Exception {
        // A copy of the module's kernel layout, so the real sources are never touched.
        Path sources = Files.createDirectories(copy.resolve("src/main/cuda"));
        Path resources = Files.createDirectories(copy.resolve("src/main/resources/dev/unroll/backend/cuda"));
        Path scripts = Files.createDirectories(copy.resolve("scripts"));
        copyAll(KernelSources.CUDA_SOURCES, sources);
        copyAll(KernelSources.PTX_FOLDER, resources);
        Files.copy(KernelSources.SCRIPT, scripts.resolve("compile-kernels.sh"));

        Result clean = exec(copy, "bash", "scripts/compile-kernels.sh", "--check");
        assertEquals(0, clean.exitCode(), clean.output());

        Path edited = sources.resolve("elementwise.cu");
        Files.writeString(edited, Files.readString(edited) + "\n// an edit after the PTX was made\n");
        Result stale = exec(copy, "bash", "scripts/compile-kernels.sh", "--check");
        assertEquals(1, stale.exitCode(), stale.output());
        assertTrue(stale.output().contains("elementwise.ptx is stale"), stale.output());
        assertTrue(stale.output().contains(KernelSources.sourceHash(sources, "elementwise")),
                "the script and KernelSources must hash alike: " + stale.output());
    }

    private static void copyAll(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Result(p.exitValue(), output);
    }

    private static String run(Path dir, String... command) throws Exception {
        Result r = exec(dir, command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + " failed:\n" + r.output());
        return r.output();
    }
}
