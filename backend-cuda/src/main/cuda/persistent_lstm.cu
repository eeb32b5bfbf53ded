// nvcc-flags: -fmad=false
//
// A whole LSTM forward recurrence in one launch, for small batches (B <= 8), after Diamos et al., "Persistent
// RNNs" (2016). At small batch a step is a few microseconds of work behind 7-10 microseconds of launch cost
// from Java, and re-reading W_hh from memory every step; here each block loads its slice of W_hh into shared
// memory once and keeps it for all T steps, and the blocks meet at a grid-wide barrier between steps.
//
// Work split: block q owns hidden units [q*U, q*U + U) (U = unitsPerBlock) and the 4U rows of W_hh that feed
// them (their i, f, g, o gates), so the pointwise step needs nothing from other blocks; only h_t is shared,
// through global memory. The launch must make every block resident at once (cuLaunchCooperativeKernel, grid
// no larger than the occupancy allows): the barrier waits for all of them.
//
// Same semantics as the composite path, step by step: gates = xProj_t + h_{t-1} W_hh^T, then the pointwise
// LSTM of lstm_step_forward_f32 (same functions, same rounding). The dot products add in another order than
// the tiled SGEMM, so results agree with the per-step path to the cell tolerance, not bit for bit.
#include "scalar_math.cuh"

#define PERSISTENT_THREADS 256
#define PERSISTENT_MAX_BATCH 8

// A sense-reversing barrier over all blocks of the grid. counter[0] counts arrivals, counter[1] is the
// generation; both start at 0 and are left ready for the next launch.
__device__ __forceinline__ void grid_barrier(unsigned int* counter, unsigned int blocks) {
    __syncthreads();
    if (threadIdx.x == 0) {
        volatile unsigned int* generation = counter + 1;
        unsigned int seen = *generation;
        __threadfence();  // this block's h_t writes before its arrival
        if (atomicAdd(counter, 1u) == blocks - 1) {
            counter[0] = 0;
            __threadfence();
            atomicAdd(counter + 1, 1u);
        } else {
            while (*generation == seen) {
                __nanosleep(32);
            }
        }
        __threadfence();
    }
    __syncthreads();
}

// xProj [T*B, 4H]: W_ih x_t + b_ih + b_hh per step; wHh [4H, H]; h0, c0 [B, H];
// gates [T*B, 4H] out: the activations per step (for backward); cells, hidden [T*B, H] out: c_t and h_t.
// Dynamic shared memory: 4*U*H floats of weights, B*H floats of h_{t-1}, 4*U*B floats of pre-activations.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
lstm_persistent_forward_f32(const float* xProj, const float* wHh, const float* h0, const float* c0, float* gates,
                            float* cells, float* hidden, int steps, int batch, int hiddenSize, int unitsPerBlock,
                            unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    const int H = hiddenSize;
    const int U = unitsPerBlock;
    const int firstUnit = blockIdx.x * U;
    const int units = min(U, H - firstUnit);  // the last block may own fewer
    float* w = shared;                        // [4U, H]: local row g*U + u is W_hh row g*H + firstUnit + u
    float* hPrev = w + 4 * U * H;             // [B, H]
    float* pre = hPrev + batch * H;           // [4U, B]

    for (int e = threadIdx.x; e < 4 * units * H; e += blockDim.x) {
        int local = e / H;
        int col = e - local * H;
        int g = local / units;
        int u = local - g * units;
        w[(g * U + u) * H + col] = wHh[(long long) (g * H + firstUnit + u) * H + col];
    }

    const int lane = threadIdx.x % 32;
    const int warp = threadIdx.x / 32;
    const int warps = blockDim.x / 32;
    const long long gateStride = 4LL * H;

    for (int t = 0; t < steps; t++) {
        // h_{t-1} from global memory, written by every block at the previous step: read through L2 (__ldcg),
        // never from a stale L1 line.
        const float* hSource = t == 0 ? h0 : hidden + (long long) (t - 1) * batch * H;
        for (int e = threadIdx.x; e < batch * H; e += blockDim.x) hPrev[e] = __ldcg(hSource + e);
        __syncthreads();

        // One warp per (gate row, batch row) pair: a dot product over H, lanes striding, shuffles folding.
        for (int pair = warp; pair < 4 * units * batch; pair += warps) {
            int local = pair / batch;
            int b = pair - local * batch;
            int g = local / units;
            int u = local - g * units;
            const float* wRow = w + (g * U + u) * H;
            const float* hRow = hPrev + b * H;
            float sum = 0.0f;
            for (int p = lane; p < H; p += 32) sum = __fmaf_rn(wRow[p], hRow[p], sum);
            for (int offset = 16; offset > 0; offset >>= 1) sum += __shfl_down_sync(0xffffffffu, sum, offset);
            if (lane == 0) pre[local * batch + b] = sum;
        }
        __syncthreads();

        // The pointwise step for this block's units, exactly as lstm_step_forward_f32.
        for (int e = threadIdx.x; e < units * batch; e += blockDim.x) {
            int u = e / batch;
            int b = e - u * batch;
            int j = firstUnit + u;
            long long row = (long long) t * batch + b;
            const float* x = xProj + row * gateStride;
            float gi = x[j] + pre[(0 * units + u) * batch + b];
            float gf = x[H + j] + pre[(1 * units + u) * batch + b];
            float gg = x[2 * H + j] + pre[(2 * units + u) * batch + b];
            float go = x[3 * H + j] + pre[(3 * units + u) * batch + b];
            float i = unroll_sigmoid(gi);
            float f = unroll_sigmoid(gf);
            float g = unroll_tanh(gg);
            float o = unroll_sigmoid(go);
            float cPrev = t == 0 ? c0[b * H + j] : cells[(row - batch) * H + j];
            float ig = i * g;
            float cv = f * cPrev;
            cv = cv + ig;
            float* gOut = gates + row * gateStride;
            gOut[j] = i;
            gOut[H + j] = f;
            gOut[2 * H + j] = g;
            gOut[3 * H + j] = o;
            cells[row * H + j] = cv;
            hidden[row * H + j] = o * unroll_tanh(cv);
        }
        grid_barrier(barrier, gridDim.x);
    }
}
