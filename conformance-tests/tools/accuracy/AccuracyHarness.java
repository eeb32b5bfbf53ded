import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.backend.cpu.CpuBackend;
import dev.unroll.backend.cpu.CpuBackendProvider;
import dev.unroll.backend.ejml.EjmlBackend;
import dev.unroll.conformance.GoldenChecks;
import dev.unroll.conformance.HostTensor;
import dev.unroll.conformance.golden.GoldenFixture;
import dev.unroll.conformance.golden.GoldenFixtureReader;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs every bundled golden fixture of the conformance kit on one backend, as {@link GoldenChecks} does
 * ({@code CellRunner.forwardBackward(backend, dtype, GoldenChecks.toCase(fixture))}: the float64 inputs uploaded as
 * stored, forward and BPTT through {@code RecurrentStack}), and writes y, h_n, c_n and every gradient to
 * {@code OUTDIR/<fixture>.json}:
 * <pre>{"y": {"shape": [..], "data": [..]}, "h_n": .., "c_n": .., "grads": {name: tensor}}</pre>
 * Values are the backend's values widened to double, printed with {@link Double#toString} (exact round trip).
 * Not part of the build; {@code run.sh} compiles and runs it.
 *
 * <p>Usage: {@code java -cp CP AccuracyHarness ejml|cpu OUTDIR [FLOAT32|FLOAT64]}
 */
public class AccuracyHarness {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: AccuracyHarness ejml|cpu OUTDIR [FLOAT32|FLOAT64]");
            System.exit(2);
        }
        String backend = args[0];
        Path out = Path.of(args[1]);
        DType dtype = args.length > 2 ? DType.valueOf(args[2]) : DType.FLOAT32;
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        int n = 0;
        try (Backend be = create(backend)) {
            if (be instanceof CpuBackend c) {
                System.out.println("cpu: gemm engine " + c.gemmEngine() + ", tanh " + c.float32Tanh() + ", "
                        + c.threads() + " threads");
            }
            for (String file : GoldenFixtureReader.bundledNames()) {
                GoldenFixture f = GoldenFixtureReader.bundled(file);
                CellResult r = CellRunner.forwardBackward(be, dtype, GoldenChecks.toCase(f));
                try (Writer w = Files.newBufferedWriter(out.resolve(file), StandardCharsets.UTF_8)) {
                    w.write("{\"y\":");
                    tensor(w, r.y());
                    w.write(",\"h_n\":");
                    tensor(w, r.hN());
                    if (r.cN() != null) {
                        w.write(",\"c_n\":");
                        tensor(w, r.cN());
                    }
                    w.write(",\"grads\":{");
                    String sep = "";
                    for (Map.Entry<String, HostTensor> e : r.grads().entrySet()) {
                        w.write(sep + "\"" + e.getKey() + "\":");
                        tensor(w, e.getValue());
                        sep = ",";
                    }
                    w.write("}}\n");
                }
                n++;
            }
        }
        System.out.printf("%s %s: %d fixtures in %.1f s -> %s%n", backend, dtype, n, (System.nanoTime() - t0) / 1e9, out);
    }

    /**
     * ejml, or cpu as its provider makes it from the configuration, so {@code UNROLL_CPU_GEMM=openblas} or
     * {@code UNROLL_CPU_TANH=exact} (or the {@code -D} properties) measure those variants.
     */
    static Backend create(String name) {
        return switch (name) {
            case "ejml" -> new EjmlBackend();
            case "cpu" -> new CpuBackendProvider().create(BackendSettings.fromEnvironment());
            default -> throw new IllegalArgumentException("unknown backend " + name + " (ejml or cpu)");
        };
    }

    static void tensor(Writer w, HostTensor t) throws Exception {
        StringBuilder sb = new StringBuilder("{\"shape\":[");
        int[] s = t.shape();
        for (int i = 0; i < s.length; i++) {
            sb.append(i > 0 ? "," : "").append(s[i]);
        }
        sb.append("],\"data\":[");
        double[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? "," : "");
            if (Double.isFinite(v[i])) {
                sb.append(v[i]);
            } else {
                sb.append('"').append(v[i]).append('"');  // json has no NaN/Infinity; numpy parses the string
            }
        }
        w.write(sb.append("]}").toString());
    }
}
