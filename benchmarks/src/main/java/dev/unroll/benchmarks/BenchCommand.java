package dev.unroll.benchmarks;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.cells.CellType;
import dev.unroll.cells.InputGradient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code java -jar unroll-bench.jar --backend cpu --cell lstm --T 50 --batch 64 --input 512 --hidden 512}:
 * prints one JSON line with the medians of {@link RecurrentBenchmark}, or with {@code --gemm} the float32
 * GEMM rate of {@link GemmBenchmark}.
 */
@Command(name = "unroll-bench", mixinStandardHelpOptions = true,
        description = "Times one recurrent layer (forward, forward+backward) or a GEMM on a backend; prints JSON.")
public final class BenchCommand implements Callable<Integer> {
    /**
     * The backends that compute on host threads, as many as their {@code unroll.NAME.threads} setting says. A GPU
     * backend has no such setting, so for it the JSON line's {@code threads} is null rather than the host's cores.
     */
    private static final Set<String> HOST_THREADED = Set.of("cpu", "ejml");

    /** Where the JSON line goes: stdout standalone, the caller's writer inside {@code unroll bench}. */
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "backend name (default: the configured or best available one)")
    String backend;

    @Option(names = "--cell", defaultValue = "lstm", converter = CellNames.class,
            description = "rnn, rnn_relu, lstm or gru (default: ${DEFAULT-VALUE})")
    CellType cell;

    @Option(names = "--T", defaultValue = "50", description = "time steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--input", defaultValue = "512", description = "input size (default: ${DEFAULT-VALUE})")
    int input;

    @Option(names = "--hidden", defaultValue = "512", description = "hidden size (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--threads", description = "threads of a cpu or ejml backend (default: all cores); a GPU backend "
            + "has none to set")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--warmup-ms", defaultValue = "2000",
            description = "and warm up for at least this long, for the JIT (default: ${DEFAULT-VALUE})")
    long warmupMillis;

    @Option(names = "--iterations", defaultValue = "20", description = "timed runs (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", description = "seed of weights and input (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--input-grad", description = "forward+backward also computes dL/dx (the PyTorch anchors do not:"
            + " their x does not require grad)")
    boolean inputGradient;

    @Option(names = "--profile", description = "also print, to stderr, where each pass's time goes per backend operation")
    boolean profile;

    @Option(names = "--gemm", description = "measure the float32 GEMM rate of an n x n x n product instead")
    boolean gemm;

    @Option(names = "--gemm-size", defaultValue = "1024", description = "n for --gemm (default: ${DEFAULT-VALUE})")
    int gemmSize;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The standalone command line: a bad value is one line on stderr, like {@code unroll}'s, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setExecutionExceptionHandler(new BenchErrorHandler());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // the shape is checked before a backend is opened, which can take seconds (native libraries, a GPU)
        RecurrentBenchmark.Spec shape = null;
        if (gemm) {
            GemmBenchmark.checkSize(gemmSize);
        } else {
            shape = new RecurrentBenchmark.Spec(cell, steps, batch, input, hidden,
                    inputGradient ? InputGradient.COMPUTE : InputGradient.SKIP, warmup, warmupMillis, iterations, seed);
        }
        String name = BackendRegistry.fromClasspath().select(backend).name();
        Integer threadCount = hostThreads(name, threads);
        try (Backend be = createBackend(name, threadCount)) {
            if (gemm) {
                GemmBenchmark.Rate rate = GemmBenchmark.run(be, gemmSize, warmup, iterations);
                out.println(String.format(Locale.ROOT,
                        "{\"backend\":\"%s\",\"gemm_n\":%d,\"threads\":%s,\"gemm_ms\":%.3f,\"gflops\":%.1f}",
                        be.name(), rate.n(), threadCount, rate.millis(), rate.gflops()));
            } else {
                RecurrentBenchmark.Timing t = RecurrentBenchmark.run(be, shape);
                out.println(String.format(Locale.ROOT,
                        "{\"backend\":\"%s\",\"cell\":\"%s\",\"T\":%d,\"B\":%d,\"I\":%d,\"H\":%d,\"threads\":%s,"
                                + "\"input_grad\":%b,\"fwd_ms\":%.3f,\"fwd_bwd_ms\":%.3f}",
                        be.name(), CellNames.shortName(cell), steps, batch, input, hidden, threadCount,
                        inputGradient, t.forwardMillis(), t.forwardBackwardMillis()));
                if (profile) {
                    spec.commandLine().getErr().print(RecurrentBenchmark.profile(be, shape));
                    spec.commandLine().getErr().flush();
                }
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The threads backend {@code name} computes on: {@code asked}, else every core, for a backend that computes on
     * host threads; null for any other (a GPU backend), whose speed the host's thread count does not set.
     */
    static Integer hostThreads(String name, Integer asked) {
        if (!HOST_THREADED.contains(name)) {
            return null;
        }
        return asked != null ? asked : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Backend {@code name} with {@code unroll.NAME.threads} set to {@code threadCount} (unless null), layered over
     * this JVM's own settings.
     */
    private static Backend createBackend(String name, Integer threadCount) {
        BackendSettings environment = BackendSettings.fromEnvironment();
        Map<String, String> overrides = new HashMap<>();
        environment.asMap().forEach((k, v) -> overrides.put(k, v.value()));
        if (threadCount != null) {
            overrides.put("unroll." + name + ".threads", Integer.toString(threadCount));
        }
        BackendSettings settings = BackendSettings.of(overrides, Map.of(), Map.of());
        BackendRegistry registry = new BackendRegistry(
                ServiceLoader.load(dev.unroll.api.spi.BackendProvider.class).stream()
                        .map(ServiceLoader.Provider::get).toList(), settings);
        return registry.create(name);
    }
}
