package dev.unroll.backend.cuda;

/**
 * The SGEMM kernels of gemm.cu and which one an output shape gets. A pure function of the shape and the device's
 * multiprocessor count, so the choice is unit-tested without a GPU; the thresholds were fitted to the timings of
 * {@code GemmMicroBenchmark} (every variant on the benchmark shapes' GEMMs) on an H200.
 *
 * <p>Two families: {@link Family#V2} (float4 loads, double-buffered shared memory, optional split-K), the default,
 * measured 1.3 to 5 times faster than {@link Family#V1} (skinny, 64 x 64 and 128 x 128 tiles) on the benchmark
 * rows; the setting {@value #FAMILY_KEY}{@code =v1} keeps the older kernels for comparison ({@link CudaSettings}).
 */
enum GemmVariant {
    /** At most {@link LaunchConfig#SKINNY_MAX_ROWS} output rows: a recurrent step at small batch. */
    SKINNY(0, 0, false, Kernel.SGEMM_SKINNY_NN, Kernel.SGEMM_SKINNY_NT, Kernel.SGEMM_SKINNY_TN,
            Kernel.SGEMM_SKINNY_TT),
    /** 64 x 64 tiles: many blocks for medium outputs, such as a recurrent step at batch 16 to 128. */
    TILE_64(0, 0, false, Kernel.SGEMM_NN, Kernel.SGEMM_NT, Kernel.SGEMM_TN, Kernel.SGEMM_TT),
    /** 128 x 128 tiles with 8 x 8 per thread: the large input projections and weight gradients. */
    TILE_128(0, 0, false, Kernel.SGEMM_LARGE_NN, Kernel.SGEMM_LARGE_NT, Kernel.SGEMM_LARGE_TN,
            Kernel.SGEMM_LARGE_TT),
    /** v2, 128 x 128 tiles, 8 x 8 per thread: outputs with at least one tile per multiprocessor. */
    V2_128X128(128, 128, false, Kernel.SGEMM_V2_128X128_NN, Kernel.SGEMM_V2_128X128_NT, Kernel.SGEMM_V2_128X128_TN,
            Kernel.SGEMM_V2_128X128_TT),
    /** v2, 128 x 64 tiles, 8 x 4 per thread: twice the blocks of 128 x 128. */
    V2_128X64(128, 64, false, Kernel.SGEMM_V2_128X64_NN, Kernel.SGEMM_V2_128X64_NT, Kernel.SGEMM_V2_128X64_TN,
            Kernel.SGEMM_V2_128X64_TT),
    /** v2, 64 x 64 tiles, 4 x 4 per thread. */
    V2_64X64(64, 64, false, Kernel.SGEMM_V2_64X64_NN, Kernel.SGEMM_V2_64X64_NT, Kernel.SGEMM_V2_64X64_TN,
            Kernel.SGEMM_V2_64X64_TT),
    /** {@link #V2_128X128} with k split into slices when its tiles alone would leave multiprocessors idle. */
    SPLIT_K_128X128(128, 128, true, Kernel.SGEMM_V2_128X128_NN, Kernel.SGEMM_V2_128X128_NT,
            Kernel.SGEMM_V2_128X128_TN, Kernel.SGEMM_V2_128X128_TT),
    /** {@link #V2_128X64} with k split into slices likewise. */
    SPLIT_K_128X64(128, 64, true, Kernel.SGEMM_V2_128X64_NN, Kernel.SGEMM_V2_128X64_NT, Kernel.SGEMM_V2_128X64_TN,
            Kernel.SGEMM_V2_128X64_TT),
    /** {@link #V2_64X64} with k split into slices likewise: the recurrent step at batch 16 to 128. */
    SPLIT_K_64X64(64, 64, true, Kernel.SGEMM_V2_64X64_NN, Kernel.SGEMM_V2_64X64_NT, Kernel.SGEMM_V2_64X64_TN,
            Kernel.SGEMM_V2_64X64_TT);

    /** The setting ({@code -Dunroll.cuda.gemm=v2} or environment {@code UNROLL_CUDA_GEMM}) that picks the family. */
    static final String FAMILY_KEY = "unroll.cuda.gemm";
    /** The deepest product the v2 family gives the skinny kernel, which walks k serially per output. */
    static final int SKINNY_MAX_DEPTH = 512;

    /** Output tile edge of {@link #TILE_128} (gemm.cu's LARGE_TILE). */
    static final int LARGE_TILE = 128;
    /** Depth of one v2 k tile (gemm.cu's V2_K): k slices are multiples of it. */
    static final int V2_K = 8;
    /** The shallowest k slice worth a block of its own: 16 k tiles. */
    static final int MIN_SLICE_K = 16 * V2_K;
    /** Blocks of 256 threads that a split-K launch aims to keep resident per multiprocessor. */
    static final int BLOCKS_PER_MULTIPROCESSOR = 2;

    /** Which kernels {@link #choose(int, int, int, int)} picks from. */
    enum Family {
        V1, V2;

        /** The family named by a setting's value, {@code v1} or {@code v2}; V2 when unset. */
        static Family parse(String value) {
            return SettingChoice.parse(Family.class, FAMILY_KEY, value, V2);
        }
    }


    /**
     * How a v2 launch divides k: {@code slices} blocks along k per output tile, slice s covering
     * {@code [s * kChunk, min(k, (s + 1) * kChunk))}. One slice has {@code kChunk == k}.
     */
    record SplitK(int slices, int kChunk) {
    }

    private final int tileM;
    private final int tileN;
    private final boolean splitK;
    private final Kernel nn;
    private final Kernel nt;
    private final Kernel tn;
    private final Kernel tt;

    GemmVariant(int tileM, int tileN, boolean splitK, Kernel nn, Kernel nt, Kernel tn, Kernel tt) {
        this.tileM = tileM;
        this.tileN = tileN;
        this.splitK = splitK;
        this.nn = nn;
        this.nt = nt;
        this.tn = tn;
        this.tt = tt;
    }

    /**
     * The variant of {@code family} for an {@code op(A)[m, k] * op(B)[k, n]} product on a device with
     * {@code multiprocessors} SMs: skinny for a few rows in both families. V1: 128-tiles only when there are at
     * least as many of them as SMs (a 128-tile holds 4 times the work of a 64-tile, so with fewer, part of the
     * GPU would idle), 64-tiles otherwise. V2: skinny only up to depth {@link #SKINNY_MAX_DEPTH} (on an H200 it
     * took 25 us for a 1 x 256 output of depth 1024, a backward step at batch 1, where split-K took 9); then the
     * largest tile of which there are at least as many as SMs, or of which there are at least half as many and k
     * is deep enough to split in two; else 64-tiles with k split. The rule fits the timings of
     * {@code GemmMicroBenchmark} on an H200 (132 SMs) over the five benchmark shapes' GEMMs.
     */
    static GemmVariant choose(Family family, int m, int n, int k, int multiprocessors) {
        if (family == Family.V1) {
            if (m <= LaunchConfig.SKINNY_MAX_ROWS) {
                return SKINNY;
            }
            return tiles(m, n, LARGE_TILE, LARGE_TILE) >= multiprocessors ? TILE_128 : TILE_64;
        }
        if (m <= LaunchConfig.SKINNY_MAX_ROWS && k <= SKINNY_MAX_DEPTH) {
            return SKINNY;
        }
        // A large tile split in k beats a small tile unsplit at the same block count (it loads less per product):
        // on an H200, m=128 n=8192 k=2048 took 0.13 ms split in 128 x 64 tiles, 0.20 ms in 64 x 64 tiles.
        for (GemmVariant v : new GemmVariant[] {V2_128X128, V2_128X64}) {
            long tiles = tiles(m, n, v.tileM, v.tileN);
            if (tiles >= multiprocessors) {
                return v;
            }
            if (2 * tiles >= multiprocessors && k >= 2 * MIN_SLICE_K) {
                return v == V2_128X128 ? SPLIT_K_128X128 : SPLIT_K_128X64;
            }
        }
        return tiles(m, n, V2_64X64.tileM, V2_64X64.tileN) >= multiprocessors ? V2_64X64 : SPLIT_K_64X64;
    }

    /** Whether this variant computes an {@code [m, n]} output: the skinny kernels hold at most 8 rows. */
    boolean canRun(int m) {
        return this != SKINNY || m <= LaunchConfig.SKINNY_MAX_ROWS;
    }

    /** Whether this is a v2 kernel, which takes a {@code kChunk} argument after {@code k}. */
    boolean isV2() {
        return tileM > 0;
    }

    /**
     * For a v2 variant, the k slices of an {@code [m, n]} output: one without split-K; with it, enough to give
     * {@link #BLOCKS_PER_MULTIPROCESSOR} blocks to every SM, but none shallower than {@link #MIN_SLICE_K}.
     */
    SplitK splitK(int m, int n, int k, int multiprocessors) {
        long tiles = tiles(m, n, tileM, tileN);
        long wanted = (BLOCKS_PER_MULTIPROCESSOR * (long) multiprocessors + tiles - 1) / tiles;
        int slices = splitK ? (int) Math.min(wanted, k / MIN_SLICE_K) : 1;
        if (slices <= 1) {
            return new SplitK(1, k);
        }
        int kChunk = LaunchConfig.ceilDiv(LaunchConfig.ceilDiv(k, slices), V2_K) * V2_K;
        return new SplitK(LaunchConfig.ceilDiv(k, kChunk), kChunk);
    }

    /** This variant's kernel for a transpose case. */
    Kernel kernel(boolean transA, boolean transB) {
        if (transA) {
            return transB ? tt : tn;
        }
        return transB ? nt : nn;
    }

    /** The launch of this variant for an {@code [m, n]} output in {@code slices} k slices (1 for v1). */
    LaunchConfig launch(int m, int n, boolean transB, int slices) {
        return switch (this) {
            case SKINNY -> LaunchConfig.skinnyGemm(n, transB);
            case TILE_64 -> LaunchConfig.gemm(m, n);
            case TILE_128 -> LaunchConfig.largeGemm(m, n);
            default -> LaunchConfig.tiledGemm(m, n, tileM, tileN, slices);
        };
    }

    private static long tiles(int m, int n, int tileM, int tileN) {
        return (long) LaunchConfig.ceilDiv(m, tileM) * LaunchConfig.ceilDiv(n, tileN);
    }
}
