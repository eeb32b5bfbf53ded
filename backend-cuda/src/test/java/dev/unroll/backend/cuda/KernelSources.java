package dev.unroll.backend.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kernel sources of this module as the tests see them (the working directory of a Maven test run is the
 * module folder), and the content hash that {@code scripts/compile-kernels.sh} writes into each PTX.
 */
final class KernelSources {
    static final Path MODULE = Paths.get("").toAbsolutePath();
    static final Path CUDA_SOURCES = MODULE.resolve("src/main/cuda");
    static final Path PTX_FOLDER = MODULE.resolve("src/main/resources/dev/unroll/backend/cuda");
    static final Path SCRIPT = MODULE.resolve("scripts/compile-kernels.sh");

    private KernelSources() {
    }

    /** True when the sources are reachable (a Maven run; not the device bundle, which has only classes). */
    static boolean present() {
        return Files.isDirectory(CUDA_SOURCES) && Files.isRegularFile(SCRIPT);
    }

    /** The module names of the {@code .cu} files, sorted. */
    static List<String> modules(Path sources) {
        return list(sources, ".cu").stream().map(n -> n.substring(0, n.length() - 3)).toList();
    }

    /**
     * SHA-256 of: the {@code .cu} file's name, a newline, its bytes, then for each {@code .cuh} header in byte
     * order of name, the same. Any header change marks every module stale, which is conservative and simple.
     */
    static String sourceHash(Path sources, String module) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            digest(sha, sources, module + ".cu");
            for (String header : list(sources, ".cuh")) {
                digest(sha, sources, header);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest sha, Path sources, String file) {
        try {
            sha.update((file + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(sources.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> list(Path folder, String suffix) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nvcc on this machine, found as the script finds it, if any. */
    static Optional<Path> nvcc() {
        String env = System.getenv("NVCC");
        if (env != null && Files.isExecutable(Paths.get(env))) {
            return Optional.of(Paths.get(env));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Paths.get(dir, "nvcc");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String fixed : List.of("/usr/local/cuda/bin/nvcc", "/usr/local/bin/nvcc")) {
            if (Files.isExecutable(Paths.get(fixed))) {
                return Optional.of(Paths.get(fixed));
            }
        }
        return Optional.empty();
    }
}
