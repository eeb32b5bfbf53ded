package dev.unroll.benchmarks;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.api.config.BackendSettings;
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
import java.util.concurrent.Callable;

/**
 * {@code java -jar unroll-bench.jar --backend cpu --cell lstm --T 50 --batch 64 --input 512 --hidden 512}:
 * prints one JSON line with the medians of {@link RecurrentBenchmark}, or with {@code --gemm} the float32
 * GEMM rate of {@link GemmBenchmark}.
 */
@Command(name = "unroll-bench", mixinStandardHelpOptions = true,
        description = "Times one recurrent layer (forward, forward+backward) or a GEMM on a backend; prints JSON.")
public final class BenchCommand implements Callable<Integer> {
    /** Where the JSON line goes: stdout standalone, the caller's writer inside {@code unroll bench}. */
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "backend name (default: the configured or best available one)")
    String backend;

    @Option(names = "--cell", defaultValue = "lstm", description = "rnn, rnn_relu, lstm or gru (default: ${DEFAULT-VALUE})")
    String cell;

    @Option(names = "--T", defaultValue = "50", description = "time steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--input", defaultValue = "512", description = "input size (default: ${DEFAULT-VALUE})")
    int input;

    @Option(names = "--hidden", defaultValue = "512", description = "hidden size (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--threads", description = "threads of the backend (default: all cores)")
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
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (Backend be = createBackend(threadCount)) {
            if (gemm) {
                GemmBenchmark.Rate rate = GemmBenchmark.run(be, gemmSize, warmup, iterations);
                out.println(String.format(Locale.ROOT,
                        "{\"backend\":\"%s\",\"gemm_n\":%d,\"threads\":%d,\"gemm_ms\":%.3f,\"gflops\":%.1f}",
                        be.name(), rate.n(), threadCount, rate.millis(), rate.gflops()));
            } else {
                RecurrentBenchmark.Spec spec = new RecurrentBenchmark.Spec(RecurrentBenchmark.cell(cell), steps,
                        batch, input, hidden, inputGradient ? InputGradient.COMPUTE : InputGradient.SKIP, warmup,
                        warmupMillis, iterations, seed);
                RecurrentBenchmark.Timing t = RecurrentBenchmark.run(be, spec);
                out.println(String.format(Locale.ROOT,
                        "{\"backend\":\"%s\",\"cell\":\"%s\",\"T\":%d,\"B\":%d,\"I\":%d,\"H\":%d,\"threads\":%d,"
                                + "\"input_grad\":%b,\"fwd_ms\":%.3f,\"fwd_bwd_ms\":%.3f}",
                        be.name(), cell.toLowerCase(Locale.ROOT), steps, batch, input, hidden, threadCount,
                        inputGradient, t.forwardMillis(), t.forwardBackwardMillis()));
                if (profile) {
                    this.spec.commandLine().getErr().print(RecurrentBenchmark.profile(be, spec));
                    this.spec.commandLine().getErr().flush();
                }
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The chosen backend with {@code unroll.NAME.threads} set, the thread setting every bundled backend reads,
     * layered over this JVM's own settings.
     */
    private Backend createBackend(int threadCount) {
        BackendSettings environment = BackendSettings.fromEnvironment();
        Map<String, String> overrides = new HashMap<>();
        environment.asMap().forEach((k, v) -> overrides.put(k, v.value()));
        BackendRegistry probe = BackendRegistry.fromClasspath();
        String name = backend != null ? backend : probe.select(null).name();
        overrides.put("unroll." + name + ".threads", Integer.toString(threadCount));
        BackendSettings settings = BackendSettings.of(overrides, Map.of(), Map.of());
        BackendRegistry registry = new BackendRegistry(
                ServiceLoader.load(dev.unroll.api.spi.BackendProvider.class).stream()
                        .map(ServiceLoader.Provider::get).toList(), settings);
        return registry.create(name);
    }
}
