package dev.unroll.conformance;

import dev.unroll.api.DType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs every {@code *.json} fixture of a folder named by the system property {@value #PROPERTY} (for example
 * {@code -Dunroll.golden.dir=/abs/path}) and summarises it in the line {@code golden cases: N passed, M failed}.
 */
public final class GoldenDirectoryRun {
    /** The system property naming the folder; blank or unset means there is nothing to run. */
    public static final String PROPERTY = "unroll.golden.dir";

    private GoldenDirectoryRun() {
    }

    /** The outcome for one dtype: the summary line and every failure. */
    public record Summary(DType dtype, int passed, List<CheckResult> failures) {

        public int failed() {
            return failures.size();
        }

        /** Exactly {@code golden cases: N passed, M failed}. */
        public String line() {
            return "golden cases: " + passed + " passed, " + failed() + " failed";
        }
    }

    /** The folder from the system property, or empty when it is blank or unset. */
    public static Optional<Path> configuredFolder() {
        return KitProperty.value(PROPERTY).map(Path::of);
    }

    /** Runs every fixture of {@code folder} on the target in {@code dtype}. */
    public static Summary run(KitTarget target, DType dtype, Tolerance tolerance, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(PROPERTY + " = " + folder + " is not a folder");
        }
        List<CheckResult> results = CheckRunner.run(GoldenChecks.directory(target, dtype, tolerance, folder));
        List<CheckResult> failures = results.stream().filter(r -> !r.passed()).toList();
        return new Summary(dtype, results.size() - failures.size(), failures);
    }
}
