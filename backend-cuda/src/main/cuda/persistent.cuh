// The grid scheme of the persistent recurrence kernels (persistent_{lstm,gru,rnn}.cu), after Diamos et al.,
// "Persistent RNNs" (2016). At small batch a step is a few microseconds of work behind 7-10 microseconds of
// launch cost from Java, and re-reading W_hh from memory every step; a persistent kernel runs all T steps in one
// launch, each block holding its slice of W_hh in shared memory for the whole sequence, the blocks meeting at a
// grid-wide barrier between steps. persistent_cluster.cuh is the same idea on one thread block cluster.
//
// Work split: block q owns hidden units [q*U, q*U + U) (U = unitsPerBlock) and the G rows of W_hh per unit that
// feed them (G gates: 4 for LSTM, 3 for GRU, 1 for a plain RNN), so each unit's pointwise step needs nothing
// from other blocks; only h_t is shared, through global memory: each step reads the previous state back from the
// hidden output (row block t-1 forward, t+1 reversed; h0 at the first step, see TimeOrder in
// persistent_cells.cuh). A batch row that does not run a step (`active`) writes its carried h there all the same,
// so the next step reads every row back. The launch must make every block resident at once
// (cuLaunchCooperativeKernel, grid no larger than the occupancy allows): the barrier waits for all of them.
//
// Dynamic shared memory layout: G*U*H floats of weights, B*H floats of h_prev, G*U*B floats of the recurrent
// pre-activations (PersistentPlan.java computes the same size).
#pragma once

#include "persistent_cells.cuh"

#define PERSISTENT_THREADS 256
#define PERSISTENT_MAX_BATCH 16

// A sense-reversing barrier over all blocks of the grid. counter[0] counts arrivals, counter[1] is the
// generation; the host zeroes both before the launch.
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

// This block's slice of a recurrence: units [firstUnit, firstUnit + units) of H, G gates each; the Slice of
// persistent_cells.cuh for the grid kernels.
template <int G>
struct PersistentSlice {
    int H, U, B, firstUnit, units;
    float* w;     // [G*U, H]: local row g*U + u is W_hh row g*H + firstUnit + u
    float* hPrev; // [B, H]: the state the step reads
    float* pre;   // [G*units, B]: recurrent pre-activation of (gate g, unit u) for batch row b at (g*units + u)*B + b
    const float* h0;
    const float* hidden;
    unsigned int* barrier;

    // Loads this block's rows of W_hh [G*H, H] into shared memory, once per launch.
    __device__ PersistentSlice(float* shared, const float* wHh, const float* initial, const float* hiddenOut,
                               unsigned int* gridBarrier, int hiddenSize, int unitsPerBlock, int batch)
        : H(hiddenSize), U(unitsPerBlock), B(batch), firstUnit(blockIdx.x * unitsPerBlock),
          units(min(unitsPerBlock, hiddenSize - (int) blockIdx.x * unitsPerBlock)), h0(initial), hidden(hiddenOut),
          barrier(gridBarrier) {
        w = shared;
        hPrev = w + G * U * H;
        pre = hPrev + B * H;
        for (int e = threadIdx.x; e < G * units * H; e += blockDim.x) {
            int local = e / H;
            int col = e - local * H;
            int g = local / units;
            int u = local - g * units;
            w[(g * U + u) * H + col] = wHh[(long long) (g * H + firstUnit + u) * H + col];
        }
    }

    // pre[(g, u), b] = W_hh row (g, u) . h_prev[b] for the batch rows b < batchRows that run the step (every row's
    // h_prev is loaded: a row that does not run carries it). h_prev was written by every block at the previous
    // step, so it is read through L2 (__ldcg), never from a stale L1 line. One warp per (row, batch row) pair:
    // lanes stride over H with fused multiply-adds, shuffles fold the lanes.
    __device__ void recurrentProducts(const ForwardStep& step, int batchRows) {
        const float* hSource = step.s == 0 ? h0 : hidden + (long long) (step.t + step.previous) * B * H;
        for (int e = threadIdx.x; e < B * H; e += blockDim.x) hPrev[e] = __ldcg(hSource + e);
        __syncthreads();
        const int lane = threadIdx.x % 32;
        const int warps = blockDim.x / 32;
        for (int pair = threadIdx.x / 32; pair < G * units * batchRows; pair += warps) {
            int local = pair / batchRows;
            int b = pair - local * batchRows;
            int g = local / units;
            int u = local - g * units;
            const float* wRow = w + (g * U + u) * H;
            const float* hRow = hPrev + b * H;
            float sum = 0.0f;
            for (int p = lane; p < H; p += 32) sum = __fmaf_rn(wRow[p], hRow[p], sum);
            for (int offset = 16; offset > 0; offset >>= 1) sum += __shfl_down_sync(0xffffffffu, sum, offset);
            if (lane == 0) pre[local * B + b] = sum;
        }
        __syncthreads();
    }

    __device__ float recurrent(int g, int u, int b) const {
        return pre[(g * units + u) * B + b];
    }

    __device__ float previous(int b, int j) const {
        return hPrev[b * H + j];
    }

    // h_t reaches the other blocks through the hidden output, which the cell writes.
    __device__ void publish(int, int, int, float) const {
    }

    __device__ void endStep(int) const {
        grid_barrier(barrier, gridDim.x);
    }
};
