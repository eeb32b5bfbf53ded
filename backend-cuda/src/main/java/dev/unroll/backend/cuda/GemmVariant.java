package dev.unroll.backend.cuda;

/**
 * The three SGEMM kernels of gemm.cu and which one an output shape gets. A pure function of the shape and the
 * device's multiprocessor count, so the choice is unit-tested without a GPU; the thresholds are first guesses
 * to be tuned on a GPU.
 */
enum GemmVariant {
    /** At most {@link LaunchConfig#SKINNY_MAX_ROWS} output rows: a recurrent step at small batch. */
    SKINNY(Kernel.SGEMM_SKINNY_NN, Kernel.SGEMM_SKINNY_NT, Kernel.SGEMM_SKINNY_TN, Kernel.SGEMM_SKINNY_TT),
    /** 64 x 64 tiles: many blocks for medium outputs, such as a recurrent step at batch 16 to 128. */
    TILE_64(Kernel.SGEMM_NN, Kernel.SGEMM_NT, Kernel.SGEMM_TN, Kernel.SGEMM_TT),
    /** 128 x 128 tiles with 8 x 8 per thread: the large input projections and weight gradients. */
    TILE_128(Kernel.SGEMM_LARGE_NN, Kernel.SGEMM_LARGE_NT, Kernel.SGEMM_LARGE_TN, Kernel.SGEMM_LARGE_TT);

    /** Output tile edge of {@link #TILE_128} (gemm.cu's LARGE_TILE). */
    static final int LARGE_TILE = 128;

    private final Kernel nn;
    private final Kernel nt;
    private final Kernel tn;
    private final Kernel tt;

    GemmVariant(Kernel nn, Kernel nt, Kernel tn, Kernel tt) {
        this.nn = nn;
        this.nt = nt;
        this.tn = tn;
        this.tt = tt;
    }

    /**
     * The variant for an {@code [m, n]} output on a device with {@code multiprocessors} SMs: skinny for a few rows;
     * 128-tiles only when there are at least as many of them as SMs (a 128-tile holds 4 times the work of a
     * 64-tile, so with fewer, part of the GPU would idle); 64-tiles otherwise.
     */
    static GemmVariant choose(int m, int n, int multiprocessors) {
        if (m <= LaunchConfig.SKINNY_MAX_ROWS) {
            return SKINNY;
        }
        long largeTiles = (long) LaunchConfig.ceilDiv(m, LARGE_TILE) * LaunchConfig.ceilDiv(n, LARGE_TILE);
        return largeTiles >= multiprocessors ? TILE_128 : TILE_64;
    }

    /** This variant's kernel for a transpose case. */
    Kernel kernel(boolean transA, boolean transB) {
        if (transA) {
            return transB ? tt : tn;
        }
        return transB ? nt : nn;
    }

    /** The launch of this variant for an {@code [m, n]} output. */
    LaunchConfig launch(int m, int n, boolean transB) {
        return switch (this) {
            case SKINNY -> LaunchConfig.skinnyGemm(n, transB);
            case TILE_64 -> LaunchConfig.gemm(m, n);
            case TILE_128 -> LaunchConfig.largeGemm(m, n);
        };
    }
}
