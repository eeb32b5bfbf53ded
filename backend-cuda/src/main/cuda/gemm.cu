// nvcc-flags:
//
// SGEMM on row-major matrices: C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C, in two families that
// GemmVariant.java chooses from. v1 (-Dunroll.cuda.gemm=v1, kept for comparison): 64 x 64 tiles (this first
// section), 128 x 128 tiles for large outputs, and a skinny kernel for outputs of at most 8 rows, which v2 uses too.
// v2, the default (the last section): 128 x 128, 128 x 64 and 64 x 64 tiles with float4 loads and double-buffered
// shared memory, and an optional deterministic split-K whose slices sgemm_split_k_sum adds in order. In each kernel,
// the four transpose cases are instances of one template, so each reads its operands in the order that keeps
// global loads coalesced.
// Products accumulate with fused multiply-adds (nvcc's default), as cuBLAS does. With beta == 0, C is never
// read (NaN in C does not propagate), as in BLAS.
//
// 64 x 64 tiles, depth 16; 256 threads, each computing a 4 x 4 patch whose rows and columns are strided by 16
// so the shared-memory reads of a warp are broadcasts or conflict-free.

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define THREADS 256

template <bool TRANS_A, bool TRANS_B>
__device__ __forceinline__ void sgemm_tile(int m, int n, int k, float alpha, const float* __restrict__ a,
                                           const float* __restrict__ b, float beta, float* __restrict__ c) {
    // +4 padding breaks the power-of-two stride of the transposed stores.
    __shared__ float as[TILE_K][TILE_M + 4];
    __shared__ float bs[TILE_K][TILE_N + 4];

    const int tid = threadIdx.x;
    const int tx = tid % 16;
    const int ty = tid / 16;
    const int rowBase = blockIdx.y * TILE_M;
    const int colBase = blockIdx.x * TILE_N;

    float acc[4][4] = {};

    for (int k0 = 0; k0 < k; k0 += TILE_K) {
        // Each thread loads 4 elements of each tile. Consecutive threads walk the operand's contiguous
        // dimension: k for A (m x k, row-major) or for B transposed (n x k); m or n otherwise.
#pragma unroll
        for (int r = 0; r < 4; r++) {
            int e = tid + r * THREADS;
            int i, p;
            if (TRANS_A) { i = e % TILE_M; p = e / TILE_M; } else { i = e / TILE_K; p = e % TILE_K; }
            int gi = rowBase + i;
            int gp = k0 + p;
            float v = 0.0f;
            if (gi < m && gp < k) {
                v = TRANS_A ? a[(long long) gp * m + gi] : a[(long long) gi * k + gp];
            }
            as[p][i] = v;
        }
#pragma unroll
        for (int r = 0; r < 4; r++) {
            int e = tid + r * THREADS;
            int j, p;
            if (TRANS_B) { j = e / TILE_K; p = e % TILE_K; } else { j = e % TILE_N; p = e / TILE_N; }
            int gj = colBase + j;
            int gp = k0 + p;
            float v = 0.0f;
            if (gj < n && gp < k) {
                v = TRANS_B ? b[(long long) gj * k + gp] : b[(long long) gp * n + gj];
            }
            bs[p][j] = v;
        }
        __syncthreads();

#pragma unroll
        for (int p = 0; p < TILE_K; p++) {
            float av[4], bv[4];
#pragma unroll
            for (int r = 0; r < 4; r++) av[r] = as[p][ty + 16 * r];
#pragma unroll
            for (int s = 0; s < 4; s++) bv[s] = bs[p][tx + 16 * s];
#pragma unroll
            for (int r = 0; r < 4; r++)
#pragma unroll
                for (int s = 0; s < 4; s++) acc[r][s] += av[r] * bv[s];
        }
        __syncthreads();
    }

#pragma unroll
    for (int r = 0; r < 4; r++) {
        int gi = rowBase + ty + 16 * r;
        if (gi >= m) continue;
#pragma unroll
        for (int s = 0; s < 4; s++) {
            int gj = colBase + tx + 16 * s;
            if (gj >= n) continue;
            long long idx = (long long) gi * n + gj;
            c[idx] = beta == 0.0f ? alpha * acc[r][s] : alpha * acc[r][s] + beta * c[idx];
        }
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_nn(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile<false, false>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_nt(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile<false, true>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_tn(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile<true, false>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_tt(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile<true, true>(m, n, k, alpha, a, b, beta, c);
}

// ---------------------------------------------------------------- large outputs: 128 x 128 tiles
//
// For outputs with enough 128 x 128 tiles to fill the GPU (the input projections and weight gradients of big
// layers): each of 256 threads computes an 8 x 8 patch, so every shared-memory operand read feeds 8 multiply-adds
// instead of 4; operands are read from shared memory as float4. The next tile's global loads are issued into
// registers before the current tile is consumed, so their latency overlaps the arithmetic.

#define LARGE_TILE 128
#define LARGE_K 8
#define LARGE_PAD 4  // keeps rows 16-byte aligned and spreads the transposed stores over all banks

template <bool TRANS_A, bool TRANS_B>
__device__ __forceinline__ void sgemm_tile128(int m, int n, int k, float alpha, const float* __restrict__ a,
                                              const float* __restrict__ b, float beta, float* __restrict__ c) {
    __shared__ __align__(16) float as[LARGE_K][LARGE_TILE + LARGE_PAD];
    __shared__ __align__(16) float bs[LARGE_K][LARGE_TILE + LARGE_PAD];

    const int tid = threadIdx.x;
    const int tx = tid % 16;
    const int ty = tid / 16;
    const int rowBase = blockIdx.y * LARGE_TILE;
    const int colBase = blockIdx.x * LARGE_TILE;

    float acc[8][8] = {};
    float aNext[4], bNext[4];

    // Element e = tid + r * 256 of a tile; consecutive threads walk the operand's contiguous dimension.
    auto loadA = [&](int k0) {
#pragma unroll
        for (int r = 0; r < 4; r++) {
            int e = tid + r * THREADS;
            int i = TRANS_A ? e % LARGE_TILE : e / LARGE_K;
            int p = TRANS_A ? e / LARGE_TILE : e % LARGE_K;
            int gi = rowBase + i, gp = k0 + p;
            aNext[r] = (gi < m && gp < k) ? (TRANS_A ? a[(long long) gp * m + gi] : a[(long long) gi * k + gp]) : 0.0f;
        }
    };
    auto loadB = [&](int k0) {
#pragma unroll
        for (int r = 0; r < 4; r++) {
            int e = tid + r * THREADS;
            int j = TRANS_B ? e / LARGE_K : e % LARGE_TILE;
            int p = TRANS_B ? e % LARGE_K : e / LARGE_TILE;
            int gj = colBase + j, gp = k0 + p;
            bNext[r] = (gj < n && gp < k) ? (TRANS_B ? b[(long long) gj * k + gp] : b[(long long) gp * n + gj]) : 0.0f;
        }
    };
    auto store = [&]() {
#pragma unroll
        for (int r = 0; r < 4; r++) {
            int e = tid + r * THREADS;
            as[TRANS_A ? e / LARGE_TILE : e % LARGE_K][TRANS_A ? e % LARGE_TILE : e / LARGE_K] = aNext[r];
            bs[TRANS_B ? e % LARGE_K : e / LARGE_TILE][TRANS_B ? e / LARGE_K : e % LARGE_TILE] = bNext[r];
        }
    };

    loadA(0);
    loadB(0);
    store();
    __syncthreads();
    for (int k0 = 0; k0 < k; k0 += LARGE_K) {
        bool more = k0 + LARGE_K < k;
        if (more) {
            loadA(k0 + LARGE_K);
            loadB(k0 + LARGE_K);
        }
#pragma unroll
        for (int p = 0; p < LARGE_K; p++) {
            float4 a0 = *reinterpret_cast<const float4*>(&as[p][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&as[p][64 + ty * 4]);
            float4 b0 = *reinterpret_cast<const float4*>(&bs[p][tx * 4]);
            float4 b1 = *reinterpret_cast<const float4*>(&bs[p][64 + tx * 4]);
            float av[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float bv[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int r = 0; r < 8; r++)
#pragma unroll
                for (int s = 0; s < 8; s++) acc[r][s] += av[r] * bv[s];
        }
        __syncthreads();
        if (more) {
            store();
            __syncthreads();
        }
    }

    // Patch row r is tile row ty*4 + r (r < 4) or 64 + ty*4 + (r - 4); columns likewise with tx.
#pragma unroll
    for (int r = 0; r < 8; r++) {
        int gi = rowBase + (r < 4 ? ty * 4 + r : 64 + ty * 4 + r - 4);
        if (gi >= m) continue;
#pragma unroll
        for (int s = 0; s < 8; s++) {
            int gj = colBase + (s < 4 ? tx * 4 + s : 64 + tx * 4 + s - 4);
            if (gj >= n) continue;
            long long idx = (long long) gi * n + gj;
            c[idx] = beta == 0.0f ? alpha * acc[r][s] : alpha * acc[r][s] + beta * c[idx];
        }
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_large_nn(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile128<false, false>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_large_nt(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile128<false, true>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_large_tn(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile128<true, false>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_large_tt(int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
    sgemm_tile128<true, true>(m, n, k, alpha, a, b, beta, c);
}

// ---------------------------------------------------------------- skinny outputs: m <= SKINNY_MAX_ROWS
//
// A recurrent step at small batch multiplies a few rows (h_{t-1}, [B, H]) by a large weight matrix. A 64 x 64
// tile would leave most of its threads idle there, so these kernels give each thread (or warp) one output
// column for all m rows instead, reading every weight exactly once, coalesced.

#define SKINNY_MAX_ROWS 8
#define SKINNY_COLUMNS_PER_BLOCK 32
#define SKINNY_K_SLICES 8

__device__ __forceinline__ float skinny_a(bool transA, const float* a, int m, int k, int i, int p) {
    return transA ? a[(long long) p * m + i] : a[(long long) i * k + p];
}

// op(B) = B^T with B [n, k] row-major: one warp per output column j walks row j of B (contiguous), lanes
// splitting k; a warp shuffle folds the lanes. Block: 256 threads = 8 columns.
template <bool TRANS_A>
__device__ __forceinline__ void sgemm_skinny_bt(int m, int n, int k, float alpha, const float* __restrict__ a,
                                                const float* __restrict__ b, float beta, float* __restrict__ c) {
    const int lane = threadIdx.x % 32;
    const int j = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    if (j >= n) return;
    float acc[SKINNY_MAX_ROWS] = {};
    const float* bRow = b + (long long) j * k;
    for (int p = lane; p < k; p += 32) {
        float bv = bRow[p];
#pragma unroll
        for (int i = 0; i < SKINNY_MAX_ROWS; i++) {
            if (i < m) acc[i] += skinny_a(TRANS_A, a, m, k, i, p) * bv;
        }
    }
#pragma unroll
    for (int i = 0; i < SKINNY_MAX_ROWS; i++) {
        float v = acc[i];
        for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
        acc[i] = v;
    }
    if (lane == 0) {
#pragma unroll
        for (int i = 0; i < SKINNY_MAX_ROWS; i++) {
            if (i < m) {
                long long idx = (long long) i * n + j;
                c[idx] = beta == 0.0f ? alpha * acc[i] : alpha * acc[i] + beta * c[idx];
            }
        }
    }
}

// op(B) = B with B [k, n] row-major: a block owns 32 neighbouring columns (coalesced reads of each row of B)
// and 8 slices of k; shared memory folds the slices. Block (32, 8).
template <bool TRANS_A>
__device__ __forceinline__ void sgemm_skinny_bn(int m, int n, int k, float alpha, const float* __restrict__ a,
                                                const float* __restrict__ b, float beta, float* __restrict__ c) {
    __shared__ float partial[SKINNY_K_SLICES][SKINNY_MAX_ROWS][SKINNY_COLUMNS_PER_BLOCK];
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int j = blockIdx.x * SKINNY_COLUMNS_PER_BLOCK + tx;
    float acc[SKINNY_MAX_ROWS] = {};
    if (j < n) {
        for (int p = ty; p < k; p += SKINNY_K_SLICES) {
            float bv = b[(long long) p * n + j];
#pragma unroll
            for (int i = 0; i < SKINNY_MAX_ROWS; i++) {
                if (i < m) acc[i] += skinny_a(TRANS_A, a, m, k, i, p) * bv;
            }
        }
    }
#pragma unroll
    for (int i = 0; i < SKINNY_MAX_ROWS; i++) partial[ty][i][tx] = acc[i];
    __syncthreads();
    if (ty == 0 && j < n) {
#pragma unroll
        for (int i = 0; i < SKINNY_MAX_ROWS; i++) {
            if (i < m) {
                float sum = 0.0f;
                for (int s = 0; s < SKINNY_K_SLICES; s++) sum += partial[s][i][tx];
                long long idx = (long long) i * n + j;
                c[idx] = beta == 0.0f ? alpha * sum : alpha * sum + beta * c[idx];
            }
        }
    }
}

extern "C" __global__ void sgemm_skinny_nn(int m, int n, int k, float alpha, const float* a, const float* b,
                                           float beta, float* c) {
    sgemm_skinny_bn<false>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void sgemm_skinny_tn(int m, int n, int k, float alpha, const float* a, const float* b,
                                           float beta, float* c) {
    sgemm_skinny_bn<true>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void sgemm_skinny_nt(int m, int n, int k, float alpha, const float* a, const float* b,
                                           float beta, float* c) {
    sgemm_skinny_bt<false>(m, n, k, alpha, a, b, beta, c);
}

extern "C" __global__ void sgemm_skinny_tt(int m, int n, int k, float alpha, const float* a, const float* b,
                                           float beta, float* c) {
    sgemm_skinny_bt<true>(m, n, k, alpha, a, b, beta, c);
}

// ---------------------------------------------------------------- v2: vectorized, double-buffered tiles
//
// One template for 128 x 128, 128 x 64 and 64 x 64 block tiles (GemmVariant's V2_* and SPLIT_K_*), in the style
// of the fast SIMT SGEMMs: 256 threads, each owning a patch of (BM / 64) x (BN / 64) quads of 4 x 4 outputs;
// depth V2_K = 8 per tile. Global operands are read as float4 (16 bytes) along their contiguous dimension when
// the leading dimension is a multiple of 4 and the pointer is 16-byte aligned (a row view may start at any
// 4-byte offset), else as 4 scalars with per-element guards; both read the same elements, so ragged edges and
// alignment change only the load instruction. Shared memory is double-buffered: the next tile is fetched into
// registers while the current one is consumed, then stored into the other buffer, one barrier per tile.
//
// Split-K: blockIdx.x also numbers a slice of k (kChunk wide, a multiple of V2_K); slice s writes its sums to
// the s-th [m, n] matrix after c, and sgemm_split_k_sum folds the slices in a fixed order (deterministic, no
// atomics). Without a split, kChunk >= k and there is one slice.

#define V2_K 8
#define V2_PAD 4  // row stride 4 mod 32 banks: the transposed stores of a warp hit 32 different banks

// Four consecutive elements from p along a contiguous dimension: `inside` is false past the edge of the other
// dimension, `left` counts the elements that remain in this one. With vec, left > 0 implies left >= 4.
__device__ __forceinline__ float4 v2_load4(const float* __restrict__ p, bool vec, bool inside, int left) {
    float4 v = {0.0f, 0.0f, 0.0f, 0.0f};
    if (!inside || left <= 0) return v;
    if (vec) return *reinterpret_cast<const float4*>(p);
    v.x = p[0];
    if (left > 1) v.y = p[1];
    if (left > 2) v.z = p[2];
    if (left > 3) v.w = p[3];
    return v;
}

__device__ __forceinline__ bool v2_aligned(const float* p, int leadingDim) {
    return leadingDim % 4 == 0 && reinterpret_cast<unsigned long long>(p) % 16 == 0;
}

// Loads one operand's [ROWS x V2_K] slice (ROWS along m for A, along n for B) into registers: group g of 4
// elements is row g / 2, depth (g % 2) * 4 when k is contiguous (a warp reads 16 rows x 32 bytes, whole
// sectors); depth g / (ROWS / 4), rows from (g % (ROWS / 4)) * 4 when the rows are contiguous (a warp reads
// 512 contiguous bytes).
template <int ROWS, bool K_CONTIGUOUS>
__device__ __forceinline__ void v2_load_tile(float4 (&regs)[(ROWS * V2_K / 4 + THREADS - 1) / THREADS],
                                             const float* __restrict__ x, int rows, int k, int rowBase, int k0,
                                             int kEnd, bool vec) {
    constexpr int GROUPS = ROWS * V2_K / 4;
#pragma unroll
    for (int r = 0; r < (GROUPS + THREADS - 1) / THREADS; r++) {
        int g = threadIdx.x + r * THREADS;
        if (GROUPS % THREADS != 0 && g >= GROUPS) break;
        if (K_CONTIGUOUS) {
            int i = rowBase + g / (V2_K / 4), p = k0 + (g % (V2_K / 4)) * 4;
            regs[r] = v2_load4(x + (long long) i * k + p, vec, i < rows, kEnd - p);
        } else {
            int p = k0 + g / (ROWS / 4), i = rowBase + (g % (ROWS / 4)) * 4;
            regs[r] = v2_load4(x + (long long) p * rows + i, vec, p < kEnd, rows - i);
        }
    }
}

// Stores what v2_load_tile loaded into a shared [V2_K][ROWS + V2_PAD] buffer, depth-major: k-contiguous groups
// transposed (4 scalar stores), row-contiguous groups as one float4.
template <int ROWS, bool K_CONTIGUOUS>
__device__ __forceinline__ void v2_store_tile(const float4 (&regs)[(ROWS * V2_K / 4 + THREADS - 1) / THREADS],
                                              float (*s)[ROWS + V2_PAD]) {
    constexpr int GROUPS = ROWS * V2_K / 4;
#pragma unroll
    for (int r = 0; r < (GROUPS + THREADS - 1) / THREADS; r++) {
        int g = threadIdx.x + r * THREADS;
        if (GROUPS % THREADS != 0 && g >= GROUPS) break;
        if (K_CONTIGUOUS) {
            int i = g / (V2_K / 4), p = (g % (V2_K / 4)) * 4;
            s[p][i] = regs[r].x;
            s[p + 1][i] = regs[r].y;
            s[p + 2][i] = regs[r].z;
            s[p + 3][i] = regs[r].w;
        } else {
            *reinterpret_cast<float4*>(&s[g / (ROWS / 4)][(g % (ROWS / 4)) * 4]) = regs[r];
        }
    }
}

// Four consecutive floats of shared memory into registers with one 16-byte read.
__device__ __forceinline__ void v2_read4(float* dst, const float* src) {
    float4 v = *reinterpret_cast<const float4*>(src);
    dst[0] = v.x;
    dst[1] = v.y;
    dst[2] = v.z;
    dst[3] = v.w;
}

template <int BM, int BN, bool TRANS_A, bool TRANS_B>
__device__ __forceinline__ void sgemm_v2(int m, int n, int k, int kChunk, float alpha, const float* __restrict__ a,
                                         const float* __restrict__ b, float beta, float* __restrict__ c) {
    constexpr int TM = BM / 16;  // patch rows: BM / 64 quads
    constexpr int TN = BN / 16;  // patch columns: BN / 64 quads
    constexpr int A_REGS = (BM * V2_K / 4 + THREADS - 1) / THREADS;
    constexpr int B_REGS = (BN * V2_K / 4 + THREADS - 1) / THREADS;
    __shared__ __align__(16) float as[2][V2_K][BM + V2_PAD];
    __shared__ __align__(16) float bs[2][V2_K][BN + V2_PAD];

    // A warp holds 4 patch rows x 8 patch columns, so its float4 fragment reads touch 4 and 8 distinct
    // addresses: one shared-memory wavefront each.
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int ty = (warp / 2) * 4 + lane / 8;
    const int tx = (warp % 2) * 8 + lane % 8;
    const int tilesN = (n + BN - 1) / BN;
    const int slice = blockIdx.x / tilesN;
    const int colBase = (blockIdx.x % tilesN) * BN;
    const int rowBase = blockIdx.y * BM;
    const int kBegin = slice * kChunk;
    const int kEnd = min(k, kBegin + kChunk);
    const int tiles = kEnd > kBegin ? (kEnd - kBegin + V2_K - 1) / V2_K : 0;
    c += (long long) slice * m * n;
    const bool vecA = v2_aligned(a, TRANS_A ? m : k);
    const bool vecB = v2_aligned(b, TRANS_B ? k : n);

    float acc[TM][TN] = {};
    float4 aRegs[A_REGS], bRegs[B_REGS];

    if (tiles > 0) {
        v2_load_tile<BM, !TRANS_A>(aRegs, a, m, k, rowBase, kBegin, kEnd, vecA);
        v2_load_tile<BN, TRANS_B>(bRegs, b, n, k, colBase, kBegin, kEnd, vecB);
        v2_store_tile<BM, !TRANS_A>(aRegs, as[0]);
        v2_store_tile<BN, TRANS_B>(bRegs, bs[0]);
    }
    __syncthreads();
    for (int t = 0; t < tiles; t++) {
        const int buf = t & 1;
        const bool more = t + 1 < tiles;
        if (more) {
            v2_load_tile<BM, !TRANS_A>(aRegs, a, m, k, rowBase, kBegin + (t + 1) * V2_K, kEnd, vecA);
            v2_load_tile<BN, TRANS_B>(bRegs, b, n, k, colBase, kBegin + (t + 1) * V2_K, kEnd, vecB);
        }
#pragma unroll
        for (int p = 0; p < V2_K; p++) {
            float av[TM], bv[TN];
#pragma unroll
            for (int h = 0; h < TM / 4; h++) {
                v2_read4(&av[h * 4], &as[buf][p][h * 64 + ty * 4]);
            }
#pragma unroll
            for (int h = 0; h < TN / 4; h++) {
                v2_read4(&bv[h * 4], &bs[buf][p][h * 64 + tx * 4]);
            }
#pragma unroll
            for (int r = 0; r < TM; r++)
#pragma unroll
                for (int s = 0; s < TN; s++) acc[r][s] += av[r] * bv[s];
        }
        if (more) {
            v2_store_tile<BM, !TRANS_A>(aRegs, as[buf ^ 1]);
            v2_store_tile<BN, TRANS_B>(bRegs, bs[buf ^ 1]);
        }
        __syncthreads();
    }

    // Patch row r is tile row (r / 4) * 64 + ty * 4 + r % 4; columns likewise with tx. Each quad of columns is
    // one float4 store when C's rows allow it.
    const bool vecC = v2_aligned(c, n);
#pragma unroll
    for (int r = 0; r < TM; r++) {
        int gi = rowBase + (r / 4) * 64 + ty * 4 + r % 4;
        if (gi >= m) continue;
#pragma unroll
        for (int h = 0; h < TN / 4; h++) {
            int gj = colBase + h * 64 + tx * 4;
            if (gj >= n) continue;
            float* out = c + (long long) gi * n + gj;
            const float* v = &acc[r][h * 4];
            if (vecC) {
                float4 o = {alpha * v[0], alpha * v[1], alpha * v[2], alpha * v[3]};
                if (beta != 0.0f) {
                    float4 old = *reinterpret_cast<const float4*>(out);
                    o = {o.x + beta * old.x, o.y + beta * old.y, o.z + beta * old.z, o.w + beta * old.w};
                }
                *reinterpret_cast<float4*>(out) = o;
            } else {
#pragma unroll
                for (int s = 0; s < 4; s++) {
                    if (gj + s < n) out[s] = beta == 0.0f ? alpha * v[s] : alpha * v[s] + beta * out[s];
                }
            }
        }
    }
}

// Entry points: sgemm_v2_<BM>x<BN>_<op(A)><op(B)>(m, n, k, kChunk, alpha, a, b, beta, c); grid x = column tiles
// times k slices, grid y = row tiles (LaunchConfig.tiledGemm).
// Resident blocks per SM that the register budget must allow: 2 for 128 x 128 (128 registers, 64 of them
// accumulators), 3 for the smaller tiles, which need more blocks in flight to hide latency.
#define V2_MIN_BLOCKS(BM, BN) ((BM) * (BN) >= 128 * 128 ? 2 : 3)
#define V2_ENTRY(BM, BN, SUFFIX, TA, TB)                                                                          \
    extern "C" __global__ void __launch_bounds__(THREADS, V2_MIN_BLOCKS(BM, BN))                                \
    sgemm_v2_##BM##x##BN##_##SUFFIX(int m, int n, int k, int kChunk, float alpha, const float* a, const float* b, \
                                    float beta, float* c) {                                                     \
        sgemm_v2<BM, BN, TA, TB>(m, n, k, kChunk, alpha, a, b, beta, c);                                        \
    }
#define V2_ENTRIES(BM, BN)               \
    V2_ENTRY(BM, BN, nn, false, false)   \
    V2_ENTRY(BM, BN, nt, false, true)    \
    V2_ENTRY(BM, BN, tn, true, false)    \
    V2_ENTRY(BM, BN, tt, true, true)

V2_ENTRIES(128, 128)
V2_ENTRIES(128, 64)
V2_ENTRIES(64, 64)

// Second pass of a split-K SGEMM: c = alpha * (sum of the `slices` partial [m, n] matrices, in slice order)
// + beta * c, over count = m * n elements; with beta == 0, c is not read.
extern "C" __global__ void sgemm_split_k_sum(int count, int slices, float alpha, const float* __restrict__ partial,
                                             float beta, float* __restrict__ c) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < count;
         i += (long long) gridDim.x * blockDim.x) {
        float sum = 0.0f;
        for (int s = 0; s < slices; s++) sum += partial[(long long) s * count + i];
        c[i] = beta == 0.0f ? alpha * sum : alpha * sum + beta * c[i];
    }
}
