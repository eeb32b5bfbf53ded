// nvcc-flags:
//
// SGEMM on row-major matrices: C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C, in three kernels for
// three kinds of output (GemmVariant.java chooses): 64 x 64 tiles (this first section), 128 x 128 tiles for
// large outputs, and a skinny kernel for outputs of at most 8 rows. In each, the four transpose cases are
// instances of one template, so each reads its operands in the order that keeps global loads coalesced.
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
