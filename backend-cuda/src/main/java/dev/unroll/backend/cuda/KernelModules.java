package dev.unroll.backend.cuda;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Where the compiled kernels live and what they require of the device. */
final class KernelModules {
    /** The classpath folder of the committed PTX files. */
    static final String RESOURCE_FOLDER = "/dev/unroll/backend/cuda/";
    /** The PTX targets {@code compute_80}: Ampere or newer. */
    static final int MIN_COMPUTE_MAJOR = 8;

    private KernelModules() {
    }

    /** The module names every backend instance loads, in a stable order. */
    static List<String> all() {
        return Arrays.stream(Kernel.values()).map(Kernel::module).distinct().sorted().toList();
    }

    /** The committed module needing the newest driver (the highest PTX ISA), read once per JVM. */
    static PtxResource newestIsa() {
        return NewestIsa.MODULE;
    }

    private static final class NewestIsa {
        static final PtxResource MODULE = all().stream().map(PtxResource::load)
                .max(Comparator.comparingInt(PtxResource::requiredDriverVersion)).orElseThrow();
    }

    /** The classpath resource of a module. */
    static String resourcePath(String module) {
        return RESOURCE_FOLDER + module + ".ptx";
    }
}
