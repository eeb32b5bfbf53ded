package dev.unroll.backend.cuda;

/**
 * The grid and block of one kernel launch, computed on the host from the tensor shapes. Each factory matches
 * the indexing of the kernel family it names (see the {@code .cu} sources); all are pure functions, unit-tested
 * on edge shapes without a GPU.
 *
 * @param gridX       blocks along x (at least 1)
 * @param gridY       blocks along y (at least 1, at most {@link #MAX_GRID_Y})
 * @param blockX      threads per block along x
 * @param blockY      threads per block along y
 */
record LaunchConfig(int gridX, int gridY, int blockX, int blockY) {
    /** Threads per block of the one-dimensional kernels (element-wise, reductions, softmax rows). */
    static final int THREADS = 256;
    /**
     * Cap on the blocks of a grid-stride kernel: a few waves of resident blocks on the largest GPUs (an H100 holds
     * 132 SMs x 8 blocks of 256 threads), beyond which more blocks only cost scheduling. The kernels loop, so any
     * element count is covered.
     */
    static final int MAX_GRID_STRIDE_BLOCKS = 4096;
    /** Cap on the partial results of a two-pass reduction: the one-block second pass folds them. */
    static final int MAX_REDUCTION_BLOCKS = 1024;
    /** The hardware limit on gridDim.y. */
    static final int MAX_GRID_Y = 65535;
    /** SGEMM block tile (gemm.cu's TILE_M and TILE_N). */
    static final int GEMM_TILE = 64;
    /** The most output rows the skinny SGEMM handles (gemm.cu's SKINNY_MAX_ROWS): a recurrent step at small batch. */
    static final int SKINNY_MAX_ROWS = 8;
    /** Columns per block of the skinny SGEMM when B is not transposed, and its k slices (gemm.cu). */
    static final int SKINNY_COLUMNS_PER_BLOCK = 32;
    static final int SKINNY_K_SLICES = 8;
    /** Warps per block of the skinny SGEMM when B is transposed: one output column per warp. */
    static final int SKINNY_WARPS_PER_BLOCK = THREADS / 32;
    /** Columns per block of column_sums_f32 (reductions.cu's COLUMN_TILE) and row lanes (COLUMN_LANES). */
    static final int COLUMN_TILE = 32;
    static final int COLUMN_LANES = 8;

    LaunchConfig {
        if (gridX < 1 || gridY < 1 || blockX < 1 || blockY < 1) {
            throw new IllegalArgumentException("empty launch: grid " + gridX + "x" + gridY + ", block " + blockX + "x"
                    + blockY);
        }
        if (gridY > MAX_GRID_Y) {
            throw new IllegalArgumentException("grid y " + gridY + " exceeds the CUDA limit " + MAX_GRID_Y);
        }
    }

    /** A grid-stride kernel over {@code n} elements: one thread per element up to the block cap. */
    static LaunchConfig elementwise(long n) {
        return new LaunchConfig(blocksFor(n, THREADS, MAX_GRID_STRIDE_BLOCKS), 1, THREADS, 1);
    }

    /** First pass of a two-pass reduction over {@code n} elements; {@link #gridX()} is the partial count. */
    static LaunchConfig reductionPartials(long n) {
        return new LaunchConfig(blocksFor(n, THREADS, MAX_REDUCTION_BLOCKS), 1, THREADS, 1);
    }

    /** The one-block second pass of a reduction (and any kernel that needs exactly one block). */
    static LaunchConfig singleBlock() {
        return new LaunchConfig(1, 1, THREADS, 1);
    }

    /** One block per row, e.g. softmax over {@code rows} rows. */
    static LaunchConfig blockPerRow(int rows) {
        return new LaunchConfig(rows, 1, THREADS, 1);
    }

    /** column_sums_f32 over {@code cols} columns: 32 columns per block, 8 lanes splitting the rows. */
    static LaunchConfig columnSums(int cols) {
        return new LaunchConfig(ceilDiv(cols, COLUMN_TILE), 1, COLUMN_TILE, COLUMN_LANES);
    }

    /** The SGEMM of a {@code [m, n]} output: one 64 x 64 tile per block, 256 threads. */
    static LaunchConfig gemm(int m, int n) {
        int gridY = ceilDiv(m, GEMM_TILE);
        if (gridY > MAX_GRID_Y) {
            throw new IllegalArgumentException("gemm: " + m + " output rows need " + gridY + " row tiles, more than the"
                    + " CUDA grid limit " + MAX_GRID_Y);
        }
        return new LaunchConfig(ceilDiv(n, GEMM_TILE), gridY, THREADS, 1);
    }

    /** The 128 x 128-tiled SGEMM of a {@code [m, n]} output: one tile per block, 256 threads of 8 x 8 each. */
    static LaunchConfig largeGemm(int m, int n) {
        int gridY = ceilDiv(m, GemmVariant.LARGE_TILE);
        if (gridY > MAX_GRID_Y) {
            throw new IllegalArgumentException("gemm: " + m + " output rows need " + gridY + " row tiles, more than the"
                    + " CUDA grid limit " + MAX_GRID_Y);
        }
        return new LaunchConfig(ceilDiv(n, GemmVariant.LARGE_TILE), gridY, THREADS, 1);
    }

    /**
     * A v2 SGEMM (gemm.cu's sgemm_v2_*) of an {@code [m, n]} output in {@code tileM x tileN} tiles, 256 threads
     * each: x numbers the column tiles of each of {@code slices} k slices in turn, y the row tiles.
     */
    static LaunchConfig tiledGemm(int m, int n, int tileM, int tileN, int slices) {
        int gridY = ceilDiv(m, tileM);
        long gridX = (long) ceilDiv(n, tileN) * slices;
        if (gridY > MAX_GRID_Y || gridX > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm: a [" + m + ", " + n + "] output in " + tileM + " x " + tileN
                    + " tiles and " + slices + " k slices needs a grid beyond the CUDA limits");
        }
        return new LaunchConfig((int) gridX, gridY, THREADS, 1);
    }

    /**
     * The skinny SGEMM of an output with at most {@link #SKINNY_MAX_ROWS} rows and {@code n} columns: with B
     * transposed, one warp per column (8 per block); otherwise blocks of 32 columns by 8 slices of k.
     */
    static LaunchConfig skinnyGemm(int n, boolean transB) {
        if (transB) {
            return new LaunchConfig(ceilDiv(n, SKINNY_WARPS_PER_BLOCK), 1, THREADS, 1);
        }
        return new LaunchConfig(ceilDiv(n, SKINNY_COLUMNS_PER_BLOCK), 1, SKINNY_COLUMNS_PER_BLOCK, SKINNY_K_SLICES);
    }

    /** Threads per block. */
    int threadsPerBlock() {
        return blockX * blockY;
    }

    private static int blocksFor(long n, int threads, int cap) {
        if (n < 1) {
            throw new IllegalArgumentException("a launch needs at least one element, got " + n);
        }
        return (int) Math.min(cap, (n + threads - 1) / threads);
    }

    /** {@code ceil(a / b)} for {@code a >= 1}, without the overflow of {@code (a + b - 1) / b}. */
    static int ceilDiv(int a, int b) {
        return (a - 1) / b + 1;
    }
}
