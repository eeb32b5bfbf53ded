// The cluster scheme of the persistent recurrence kernels (persistent_cluster.cu), for compute capability 9.0+.
//
// The grid kernels (persistent.cuh) spend most of a small step at their grid barrier: an atomic counter in global
// memory that thread 0 of every block polls (Nsight Compute: 70% of warp time waiting at the block barrier). Here
// the whole recurrence runs on one thread block cluster of CLUSTER_BLOCKS blocks, which the hardware schedules
// together: the barrier between steps is the cluster barrier (barrier.cluster, release/acquire), and h_t travels
// from block to block through distributed shared memory instead of global memory.
//
// Work split: block q owns hidden units [q*U, q*U + U), U = ceil(H / CLUSTER_BLOCKS) (trailing blocks may own
// none), and the G rows of W_hh per unit that feed them. The block's G*U rows are cut into chunks of K columns
// (K a multiple of 4, at most CLUSTER_MAX_CHUNK); thread t holds row t % rows, chunk t / rows of W_hh in
// registers for the whole sequence and computes that chunk's partial dot products for every batch row, reading
// h_{t-1} from shared memory as float4 (the lanes of a warp read the same words: broadcasts). The pointwise step
// adds a unit's chunks in order.
//
// Dynamic shared memory (ClusterPlan.java computes the same size): two h buffers of Bp x Hp floats (Bp = B rounded
// up to 4, Hp = chunks * K; the padding stays zero), then chunks x Bp x rows floats of partial sums (rows fastest,
// so the pointwise step's neighbouring units read neighbouring words).
//
// Each step every block pushes its h_t values into the other buffer of every block of the cluster, then meets the
// others at the cluster barrier (run_cluster). Two buffers make one barrier per step enough: a block writing step
// t+1's h into buffer (t+2) % 2 has passed step t's barrier, which every block reached only after reading that
// buffer at step t. The barrier and the pushes alone cost 0.3 to 0.6 us a step on an H200 (cluster_step_floor.cu
// in the tests measures them).
#pragma once

#include "persistent_cells.cuh"

#ifdef __CUDACC__
#include <cooperative_groups.h>
#endif

#define CLUSTER_BLOCKS 8
#define CLUSTER_MAX_THREADS 512
#define CLUSTER_MAX_CHUNK 32

template <int G>
struct ClusterSlice {
    int H, B, Bp, K, chunks, Hp, U, rows, firstUnit, units;
    int row, chunk;                // this thread's weight row and column chunk; chunk < 0: no products
    float w[CLUSTER_MAX_CHUNK];    // W_hh[row, chunk*K .. chunk*K + K), zero beyond H
    float* buffers;                // [2][Bp][Hp]: h_{t-1} of step t in buffer t % 2
    float* partial;                // [chunks][Bp][rows]
    const float* current;          // this step's h_{t-1}

    // Loads this thread's weights and h0 (the grid is one cluster, so the block's rank is blockIdx.x), then waits
    // for every block of the cluster to have started, as distributed shared memory requires before any access.
    __device__ ClusterSlice(float* shared, const float* wHh, const float* h0, int hiddenSize, int batch, int chunkSize)
        : H(hiddenSize), B(batch), Bp((batch + 3) & ~3), K(chunkSize), chunks((hiddenSize + chunkSize - 1) / chunkSize),
          Hp(chunks * chunkSize), U((hiddenSize + CLUSTER_BLOCKS - 1) / CLUSTER_BLOCKS), rows(G * U),
          firstUnit(blockIdx.x * U), units(max(0, min(U, hiddenSize - firstUnit))) {
        buffers = shared;
        partial = buffers + 2 * Bp * Hp;
        current = buffers;
        chunk = (int) threadIdx.x < rows * chunks ? (int) threadIdx.x / rows : -1;
        row = chunk < 0 ? 0 : (int) threadIdx.x - chunk * rows;
        int u = row % U;
        long long wRow = (long long) (row / U) * H + firstUnit + u;
#pragma unroll
        for (int k = 0; k < CLUSTER_MAX_CHUNK; k++) {
            int col = chunk * K + k;
            w[k] = chunk >= 0 && k < K && u < units && col < H ? wHh[wRow * H + col] : 0.0f;
        }
        for (int e = threadIdx.x; e < 2 * Bp * Hp; e += blockDim.x) buffers[e] = 0.0f;
        __syncthreads();
        for (int e = threadIdx.x; e < B * H; e += blockDim.x) {
            int b = e / H;
            buffers[b * Hp + e - b * H] = h0[e];
        }
        cooperative_groups::this_cluster().sync();
    }

    // partial[chunk, b, row] = W_hh[row, chunk] . h_{t-1}[b, chunk]: fused multiply-adds in column order.
    __device__ void recurrentProducts(int t) {
        current = buffers + (t & 1) * Bp * Hp;
        if (chunk >= 0) {
            // eight batch rows at a time: more would not fit the registers beside the weights
            for (int first = 0; first < Bp; first += 8) {
                if (Bp - first >= 8) {
                    products<8>(first);
                } else {
                    products<4>(first);
                }
            }
        }
        __syncthreads();
    }

    // The products for batch rows [first, first + ROWS): each group of four columns is loaded for every row
    // before its multiply-adds, so ROWS independent chains hide the shared-memory latency.
    template <int ROWS>
    __device__ void products(int first) {
        const float* h = current + first * Hp + chunk * K;
        float acc[ROWS];
#pragma unroll
        for (int r = 0; r < ROWS; r++) acc[r] = 0.0f;
#pragma unroll
        for (int k = 0; k < CLUSTER_MAX_CHUNK; k += 4) {
            if (k >= K) break;
            float4 x[ROWS];
#pragma unroll
            for (int r = 0; r < ROWS; r++) x[r] = *reinterpret_cast<const float4*>(h + r * Hp + k);
#pragma unroll
            for (int r = 0; r < ROWS; r++) {
                acc[r] = __fmaf_rn(w[k], x[r].x, acc[r]);
                acc[r] = __fmaf_rn(w[k + 1], x[r].y, acc[r]);
                acc[r] = __fmaf_rn(w[k + 2], x[r].z, acc[r]);
                acc[r] = __fmaf_rn(w[k + 3], x[r].w, acc[r]);
            }
        }
        float* out = partial + (chunk * Bp + first) * rows + row;
#pragma unroll
        for (int r = 0; r < ROWS; r++) out[r * rows] = acc[r];
    }

    // The chunks' partial sums of (gate g, local unit u, batch row b), added in chunk order.
    __device__ float recurrent(int g, int u, int b) const {
        const float* p = partial + b * rows + g * U + u;
        float sum = p[0];
        for (int c = 1; c < chunks; c++) sum += p[c * Bp * rows];
        return sum;
    }

    __device__ float previous(int b, int j) const {
        return current[b * Hp + j];
    }

    // h_t of (b, j) into the next buffer of every block of the cluster, this one included.
    __device__ void publish(int t, int b, int j, float h) const {
        float* next = buffers + ((t + 1) & 1) * Bp * Hp + b * Hp + j;
        cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
#pragma unroll
        for (int r = 0; r < CLUSTER_BLOCKS; r++) *cluster.map_shared_rank(next, r) = h;
    }
};

// All T steps of a cell on the cluster, one (unit, batch row) per thread at most (ClusterPlan gives a block at
// least units * B threads). The step's global memory traffic stays off the critical path: its inputs are loaded
// before the products, and its outputs are stored after this block's arrival at the cluster barrier, whose release
// then covers only the h pushes the other blocks need.
template <class Cell, int G>
__device__ void run_cluster(const Cell& cell, ClusterSlice<G>& slice, int steps) {
    cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
    const bool mine = (int) threadIdx.x < slice.units * cell.B;
    const int b = mine ? (int) threadIdx.x / slice.units : 0;
    const int u = mine ? (int) threadIdx.x - b * slice.units : 0;
    const int j = slice.firstUnit + u;
    for (int t = 0; t < steps; t++) {
        typename Cell::Inputs in;
        if (mine) in = cell.load(t, j, b);
        slice.recurrentProducts(t);
        typename Cell::Outputs out;
        if (mine) {
            out = cell.step(slice, u, b, in);
            slice.publish(t, b, j, out.h);
        }
        cluster.barrier_arrive();
        if (mine) cell.store(t, j, b, out);
        cluster.barrier_wait();
    }
}
