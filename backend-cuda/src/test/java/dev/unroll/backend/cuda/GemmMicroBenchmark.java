package dev.unroll.backend.cuda;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every SGEMM variant on the GEMMs of an LSTM layer at the five benchmark shapes, to pick
 * {@link GemmVariant#choose}'s thresholds: per GEMM, each variant's result against {@link GemmVariant#TILE_64}'s
 * (max |difference| / max |value|, flagged above 1e-5) and its time, then the fastest variant per kind of GEMM.
 * Times come from a captured graph of {@value #LAUNCHES_PER_GRAPH} launches replayed until about
 * {@value #TARGET_MS} ms have passed, so small GEMMs are not hidden behind Java's launch overhead. A main, not a
 * test; about 30 s on an H200. Run on a GPU with
 * {@code ../shared/device/bundle.sh backend-cuda dev.unroll.backend.cuda.GemmMicroBenchmark}.
 */
public final class GemmMicroBenchmark {
    private static final int[][] SHAPES = {
        {50, 1, 256, 256}, {100, 16, 128, 128}, {50, 64, 512, 512}, {25, 32, 1024, 1024}, {25, 128, 2048, 2048},
    };
    private static final int LAUNCHES_PER_GRAPH = 10;
    private static final double TARGET_MS = 40;
    private static final double TOLERANCE = 1e-5;
    /** SMs of an H100 or H200, for marking what each family would choose. */
    private static final int MULTIPROCESSORS = 132;

    /** One GEMM of the layer: {@code c[m, n] = op(a) * op(b) + beta * c}, a and b shaped for the transposes. */
    private record Gemm(String kind, boolean transA, boolean transB, int m, int n, int k, float beta) {
        int[] aShape() {
            return transA ? new int[] {k, m} : new int[] {m, k};
        }

        int[] bShape() {
            return transB ? new int[] {n, k} : new int[] {k, n};
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }

    private GemmMicroBenchmark() {
    }

    /** The GEMMs of an LSTM layer (T, B, I, H): forward, one BPTT step, and the whole-sequence gradients. */
    private static List<Gemm> lstmGemms(int t, int b, int i, int h) {
        int g = 4 * h;
        return List.of(
                new Gemm("input projection NT", false, true, t * b, g, i, 0),
                new Gemm("recurrent step NT", false, true, b, g, h, 1),
                new Gemm("backward step dh NN", false, false, b, h, g, 0),
                new Gemm("backward step dW_hh TN", true, false, g, h, b, 1),
                new Gemm("weight gradient dW_ih TN", true, false, g, i, t * b, 1),
                new Gemm("input gradient dx NN", false, false, t * b, i, g, 0));
    }

    public static void main(String[] args) {
        if (!CudaAvailable.AVAILABILITY.available()) {
            System.out.println("cuda unavailable: " + CudaAvailable.AVAILABILITY.reason());
            return;
        }
        long start = System.nanoTime();
        // kind -> variant -> summed ms over that kind's shapes, for the suggested choice.
        Map<String, Map<GemmVariant, Double>> totals = new LinkedHashMap<>();
        Map<String, List<String>> fastestPerShape = new LinkedHashMap<>();
        try (CudaBackend cuda = CudaBackend.open(0)) {
            System.out.println("device: " + cuda.deviceName() + "; ms per call (TFLOP/s), rel = max|c - c_TILE_64| /"
                    + " max|c_TILE_64|; * = v1's choice, + = v2's choice (" + GemmVariant.FAMILY_KEY + ")");
            for (int[] s : SHAPES) {
                for (Gemm gemm : lstmGemms(s[0], s[1], s[2], s[3])) {
                    String line = run(cuda, gemm, totals.computeIfAbsent(gemm.kind(), x -> new LinkedHashMap<>()),
                            fastestPerShape.computeIfAbsent(gemm.kind(), x -> new ArrayList<>()));
                    System.out.printf(Locale.ROOT, "LSTM (%d,%d,%d,%d) %s %s%n", s[0], s[1], s[2], s[3], gemm.kind(),
                            line);
                }
            }
        }
        System.out.println("suggested choice: (fastest by summed time over the five shapes; fastest per shape)");
        totals.forEach((kind, byVariant) -> {
            GemmVariant best = null;
            for (Map.Entry<GemmVariant, Double> e : byVariant.entrySet()) {
                if (best == null || e.getValue() < byVariant.get(best)) {
                    best = e.getKey();
                }
            }
            System.out.printf(Locale.ROOT, "  %-26s %s (%.4f ms summed); per shape %s%n", kind, best,
                    byVariant.get(best), fastestPerShape.get(kind));
        });
        System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Checks and times every variant that can run {@code gemm}; returns the line to print. */
    private static String run(CudaBackend cuda, Gemm gemm, Map<GemmVariant, Double> totals, List<String> fastest) {
        int[] as = gemm.aShape();
        int[] bs = gemm.bShape();
        int mn = gemm.m() * gemm.n();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "m=%d n=%d k=%d beta=%s:", gemm.m(),
                gemm.n(), gemm.k(), gemm.beta() == 0 ? "0" : "1"));
        try (Tensor a = cuda.upload(DType.FLOAT32, pattern(as[0] * as[1], 1), as);
             Tensor b = cuda.upload(DType.FLOAT32, pattern(bs[0] * bs[1], 2), bs);
             Tensor c0 = cuda.upload(DType.FLOAT32, pattern(mn, 3), gemm.m(), gemm.n());
             Tensor c = cuda.allocate(DType.FLOAT32, gemm.m(), gemm.n())) {
            float[] reference = result(cuda, GemmVariant.TILE_64, gemm, a, b, c0, c);
            double scale = maxAbs(reference);
            GemmVariant v1 = GemmVariant.choose(GemmVariant.Family.V1, gemm.m(), gemm.n(), gemm.k(), MULTIPROCESSORS);
            GemmVariant v2 = GemmVariant.choose(GemmVariant.Family.V2, gemm.m(), gemm.n(), gemm.k(), MULTIPROCESSORS);
            GemmVariant best = null;
            double bestMs = Double.MAX_VALUE;
            for (GemmVariant v : GemmVariant.values()) {
                if (!v.canRun(gemm.m())) {
                    continue;
                }
                float[] got = v == GemmVariant.TILE_64 ? reference : result(cuda, v, gemm, a, b, c0, c);
                double rel = maxAbsDifference(reference, got) / scale;
                double ms = time(cuda, v, gemm, a, b, c);
                totals.merge(v, ms, Double::sum);
                if (ms < bestMs) {
                    bestMs = ms;
                    best = v;
                }
                line.append(String.format(Locale.ROOT, " %s%s%s %.4f (%.1f) rel %.1e%s;", v, v == v1 ? "*" : "",
                        v == v2 ? "+" : "", ms,
                        gemm.flops() / ms / 1e9, rel, rel > TOLERANCE || Double.isNaN(rel) ? " MISMATCH" : ""));
            }
            fastest.add(best.toString());
            line.append(" fastest ").append(best);
        }
        return line.toString();
    }

    /** c after one call of {@code variant} on c = c0. */
    private static float[] result(CudaBackend cuda, GemmVariant variant, Gemm gemm, Tensor a, Tensor b, Tensor c0,
                                  Tensor c) {
        cuda.copy(c0, c);
        cuda.gemmWith(variant, gemm.transA(), gemm.transB(), 1f, (CudaTensor) a, (CudaTensor) b, gemm.beta(),
                (CudaTensor) c);
        float[] out = new float[gemm.m() * gemm.n()];
        cuda.download(c, out);
        return out;
    }

    /** Milliseconds per call: graphs of LAUNCHES_PER_GRAPH calls replayed for about TARGET_MS. */
    private static double time(CudaBackend cuda, GemmVariant variant, Gemm gemm, Tensor a, Tensor b, Tensor c) {
        try (StepGraph graph = cuda.capture(() -> {
            for (int i = 0; i < LAUNCHES_PER_GRAPH; i++) {
                cuda.gemmWith(variant, gemm.transA(), gemm.transB(), 1f, (CudaTensor) a, (CudaTensor) b,
                        gemm.beta(), (CudaTensor) c);
            }
        })) {
            graph.replay();
            cuda.synchronize();
            long start = System.nanoTime();
            int replays = 0;
            do {
                graph.replay();
                replays++;
                if (replays % 5 == 0) {
                    cuda.synchronize();
                }
            } while (replays < 3 || System.nanoTime() - start < TARGET_MS * 1e6);
            cuda.synchronize();
            return (System.nanoTime() - start) / 1e6 / replays / LAUNCHES_PER_GRAPH;
        }
    }

    /** Values in [-0.5, 0.5) from a multiplicative hash: cheap to make for 26 M elements, unlike Random. */
    private static float[] pattern(int n, int seed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int hash = (i + seed * 0x3C6EF372) * 0x9E3779B1;
            x[i] = ((hash >>> 8) & 0xFFFF) / 65536f - 0.5f;
        }
        return x;
    }

    private static double maxAbs(float[] x) {
        double max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double maxAbsDifference(float[] x, float[] y) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            max = Double.isNaN(d) ? Double.NaN : Math.max(max, d);
            if (Double.isNaN(max)) {
                return max;
            }
        }
        return max;
    }
}
