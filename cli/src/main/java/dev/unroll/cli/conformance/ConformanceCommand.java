package dev.unroll.cli.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.TextTable;
import dev.unroll.cli.UserError;
import dev.unroll.conformance.CheckResult;
import dev.unroll.conformance.CheckRunner;
import dev.unroll.conformance.CrossBackendReport;
import dev.unroll.conformance.GoldenDirectoryRun;
import dev.unroll.conformance.KitChecks;
import dev.unroll.conformance.KitTarget;
import dev.unroll.conformance.Tolerances;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unroll conformance}: the conformance kit from the command line. Prints the cross-backend report (the
 * worst error of every backend and dtype against the first backend, per recurrent scenario), optionally runs
 * every check of the kit on each backend, and optionally a folder of PyTorch golden fixtures. Exits with 1 if
 * anything is out of tolerance or fails.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare backends on the conformance kit's recurrent scenarios, run its checks and golden fixtures.")
public final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @Option(names = "--backends", split = ",", paramLabel = "NAME",
            description = "Backends to compare, the first is the reference (default: every available backend).")
    List<String> backends;

    @Option(names = "--golden", paramLabel = "DIR", description = "Also run every *.json PyTorch fixture in DIR.")
    Path golden;

    @Option(names = "--checks", description = "Also run every check of the kit on each backend (takes minutes).")
    boolean checks;

    /** Pass and fail counts of one group of checks on one backend. */
    record GroupSummary(String backend, String group, int passed, int failed) {
    }

    /** One failed check. */
    record Failure(String backend, String check, String message) {
    }

    /** The JSON report. */
    record Report(List<CrossBackendReport.Row> crossBackend, List<GroupSummary> checks, List<Failure> failures) {
    }

    @Override
    public Integer call() {
        json.checkWritable(); // before the kit runs, which with --checks takes minutes
        // checked first: the comparison before the golden run takes a while, and the kit's own complaint about a
        // missing folder names a system property the user never set
        if (golden != null && !Files.isDirectory(golden)) {
            throw new UserError("--golden " + golden + " is not a folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = backends != null ? backends : availableBackends();
        if (names.isEmpty()) {
            throw new UserError("no backend is available: " + BackendRegistry.fromClasspath().describe());
        }
        List<CrossBackendReport.Row> rows = crossBackend(names);
        printRows(out, rows);

        List<GroupSummary> summaries = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String name : names) {
            KitTarget target = KitTarget.fromClasspath(name);
            if (checks) {
                summarise(name, CheckRunner.run(KitChecks.all(target)), summaries, failures);
            }
            if (golden != null) {
                for (DType dtype : target.dtypes()) {
                    GoldenDirectoryRun.Summary summary = GoldenDirectoryRun.run(target, dtype, Tolerances.forCells(dtype), golden);
                    out.printf(Locale.ROOT, "%s %s %s%n", name, dtype, summary.line());
                    summaries.add(new GroupSummary(name, "golden " + dtype, summary.passed(), summary.failed()));
                    summary.failures().forEach(f -> failures.add(failure(name, f)));
                }
            }
        }
        if (!summaries.isEmpty()) {
            TextTable table = new TextTable("backend", "checks", "passed", "failed");
            summaries.forEach(s -> table.row(s.backend(), s.group(), s.passed(), s.failed()));
            out.println();
            out.print(table);
        }
        failures.forEach(f -> out.printf("FAILED %s %s: %s%n", f.backend(), f.check(), f.message()));
        long outOfTolerance = rows.stream().filter(r -> !r.withinTolerance()).count();
        out.printf(Locale.ROOT, "%n%d comparisons, %d out of tolerance; %d checks failed%n", rows.size(),
                outOfTolerance, failures.size());
        out.flush();
        json.write(new Report(rows, summaries, failures));
        return outOfTolerance == 0 && failures.isEmpty() ? 0 : 1;
    }

    private static List<String> availableBackends() {
        BackendRegistry registry = BackendRegistry.fromClasspath();
        return registry.providers().stream().filter(p -> registry.availability(p).available())
                .map(p -> p.name()).toList();
    }

    private static List<CrossBackendReport.Row> crossBackend(List<String> names) {
        BackendRegistry registry = BackendRegistry.fromClasspath();
        List<Backend> opened = new ArrayList<>();
        try {
            for (String name : names) {
                opened.add(registry.create(name));
            }
            return CrossBackendReport.compare(opened);
        } finally {
            opened.forEach(Backend::close);
        }
    }

    private static void printRows(PrintWriter out, List<CrossBackendReport.Row> rows) {
        if (rows.isEmpty()) {
            out.println("one backend in one dtype: nothing to compare (name two backends, or one with FLOAT64)");
            return;
        }
        out.println("Worst error of each backend against " + rows.get(0).reference() + ", per scenario:");
        TextTable table = new TextTable("scenario", "compared", "worst abs", "worst rel", "within tolerance");
        for (CrossBackendReport.Row r : rows) {
            table.row(r.check(), r.compared(), String.format(Locale.ROOT, "%.2e", r.worstAbsolute()),
                    String.format(Locale.ROOT, "%.2e", r.worstRelative()), r.withinTolerance() ? "yes" : "NO");
        }
        out.print(table);
    }

    private static void summarise(String backend, List<CheckResult> results, List<GroupSummary> summaries,
                                  List<Failure> failures) {
        Map<String, int[]> byGroup = new TreeMap<>();
        for (CheckResult r : results) {
            int[] counts = byGroup.computeIfAbsent(r.check().group(), g -> new int[2]);
            counts[r.passed() ? 0 : 1]++;
            if (!r.passed()) {
                failures.add(failure(backend, r));
            }
        }
        byGroup.forEach((group, counts) -> summaries.add(new GroupSummary(backend, group, counts[0], counts[1])));
    }

    private static Failure failure(String backend, CheckResult r) {
        String message = String.valueOf(r.failure().getMessage()).lines().findFirst().orElse("");
        return new Failure(backend, r.check().name(), message);
    }
}
