// The cluster scheme of the persistent recurrence kernels (persistent_cluster.cu), for compute capability 9.0+.
//
// The grid kernels (persistent.cuh) spend most of a small step at their grid barrier: an atomic counter in global
// memory that thread 0 of every block polls (Nsight Compute: 70% of warp time waiting at the block barrier). Here
// the whole recurrence runs on one thread block cluster of CLUSTER_BLOCKS blocks, which the hardware schedules
// together: the barrier between steps is the cluster barrier (barrier.cluster, release/acquire), and h_t travels
// from block to block through distributed shared memory instead of global memory.
//
// Forward. Block q owns hidden units [q*U, q*U + U), U = ceil(H / CLUSTER_BLOCKS) (trailing blocks may own
// none), and the G rows of W_hh per unit that feed them. The block's G*U rows are cut into chunks of K columns
// (K a multiple of 4, at most CLUSTER_MAX_CHUNK); thread t holds row t % rows, chunk t / rows of W_hh in
// registers for the whole sequence and computes that chunk's partial dot products for every batch row, reading
// h_{t-1} from shared memory as float4 (the lanes of a warp read the same words: broadcasts). The pointwise step
// adds a unit's chunks in order.
//
// Dynamic shared memory (ClusterPlan.java computes the same size): two buffers of Bp x Wp floats (Bp = B rounded
// up to 4, Wp = chunks * K, the row width rounded up to chunks; the padding stays zero), then chunks x Bp x rows
// floats of partial sums (rows fastest, so the pointwise step's neighbouring units read neighbouring words).
//
// Each step every block pushes its h_t values into the other buffer of every block of the cluster, then meets the
// others at the cluster barrier (run_cluster). Two buffers make one barrier per step enough: a block writing step
// t+1's h into buffer (t+2) % 2 has passed step t's barrier, which every block reached only after reading that
// buffer at step t. The barrier and the pushes alone cost 0.3 to 0.6 us a step on an H200 (cluster_step_floor.cu
// in the tests measures them).
//
// Backward (BPTT, run_cluster_backward): the same blocks, units and buffers with W_hh transposed. Step t's
// gradient reaching h_t[b, j] is sum over r < G*H of dGates_t[b, r] * W_hh[r, j]: the block owning j needs all
// G*H gate gradients of the step (every block's), and column j of W_hh. So block q holds in registers the
// columns j of its units, U rows of W_hh^T each G*H long, cut into chunks of K (threads U * chunks rather than the
// forward's G*U * ceil(H / K): about the same). Each step, in reverse time order, the thread of (unit j, batch
// row b) reads the gradient reaching h_{t+1} from the products of the previous step's gradients, runs the cell's
// pointwise backward, and pushes its G gate gradients into columns g*H + j of every block's next buffer; after
// the cluster barrier every block multiplies the whole pushed vector with its columns. The buffers are indexed
// by the count of steps done, s = T-1-t, so the double-buffering argument above holds unchanged; the first step
// (t = T-1) takes dL/dh_T from dHidden and has no product, and after the last one more product gives dL/dh_0.
// Each (unit, batch row) pushes G values instead of one, to words H apart; the lanes of a warp still push
// neighbouring words, as forward.
#pragma once

#include "persistent_cells.cuh"

#ifdef __CUDACC__
#include <cooperative_groups.h>
#endif

#define CLUSTER_BLOCKS 8
#define CLUSTER_MAX_THREADS 512
#define CLUSTER_MAX_CHUNK 32

// A block's slice of W_hh in registers and its shared buffers. Forward (TRANSPOSED false): G rows per owned unit
// j, W_hh's rows g*H + j, each H long, multiplied with h_{t-1}. Backward (TRANSPOSED true): one row per owned unit
// j, W_hh's column j (a row of W_hh^T), G*H long, multiplied with the gradients of the step's G*H gate
// pre-activations. Either way a row is cut into chunks of K, one (row, chunk) per thread.
template <int G, bool TRANSPOSED = false>
struct ClusterSlice {
    static constexpr int ROWS_PER_UNIT = TRANSPOSED ? 1 : G;
    int H, B, Bp, K, width, chunks, Wp, U, rows, firstUnit, units;
    int row, chunk;                // this thread's weight row and column chunk; chunk < 0: no products
    float w[CLUSTER_MAX_CHUNK];    // the row's columns [chunk*K, chunk*K + K), zero beyond width
    float* buffers;                // [2][Bp][Wp]: the vector that step t multiplies, in buffer t % 2
    float* partial;                // [chunks][Bp][rows]
    const float* current;          // this step's buffer

    // Loads this thread's weights and, forward, h0 (the grid is one cluster, so the block's rank is blockIdx.x),
    // then waits for every block of the cluster to have started, as distributed shared memory requires before
    // any access. Backward, h0 is unused: the first step has no product.
    __device__ ClusterSlice(float* shared, const float* wHh, const float* h0, int hiddenSize, int batch, int chunkSize)
        : H(hiddenSize), B(batch), Bp((batch + 3) & ~3), K(chunkSize), width((TRANSPOSED ? G : 1) * hiddenSize),
          chunks((width + chunkSize - 1) / chunkSize), Wp(chunks * chunkSize),
          U((hiddenSize + CLUSTER_BLOCKS - 1) / CLUSTER_BLOCKS), rows(ROWS_PER_UNIT * U), firstUnit(blockIdx.x * U),
          units(max(0, min(U, hiddenSize - firstUnit))) {
        buffers = shared;
        partial = buffers + 2 * Bp * Wp;
        current = buffers;
        chunk = (int) threadIdx.x < rows * chunks ? (int) threadIdx.x / rows : -1;
        row = chunk < 0 ? 0 : (int) threadIdx.x - chunk * rows;
        int u = row % U;
        long long j = firstUnit + u;
        long long wRow = (long long) (row / U) * H + j;
#pragma unroll
        for (int k = 0; k < CLUSTER_MAX_CHUNK; k++) {
            int col = chunk * K + k;
            // backward: W_hh[col, j], the neighbouring threads' neighbouring units make the loads coalesce
            long long index = TRANSPOSED ? (long long) col * H + j : wRow * H + col;
            w[k] = chunk >= 0 && k < K && u < units && col < width ? wHh[index] : 0.0f;
        }
        for (int e = threadIdx.x; e < 2 * Bp * Wp; e += blockDim.x) buffers[e] = 0.0f;
        if constexpr (!TRANSPOSED) {
            __syncthreads();
            for (int e = threadIdx.x; e < B * H; e += blockDim.x) {
                int b = e / H;
                buffers[b * Wp + e - b * H] = h0[e];
            }
        }
        cooperative_groups::this_cluster().sync();
    }

    // partial[chunk, b, row] = row's chunk . buffer[b, chunk]: fused multiply-adds in column order.
    __device__ void recurrentProducts(int t) {
        current = buffers + (t & 1) * Bp * Wp;
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
        const float* h = current + first * Wp + chunk * K;
        float acc[ROWS];
#pragma unroll
        for (int r = 0; r < ROWS; r++) acc[r] = 0.0f;
#pragma unroll
        for (int k = 0; k < CLUSTER_MAX_CHUNK; k += 4) {
            if (k >= K) break;
            float4 x[ROWS];
#pragma unroll
            for (int r = 0; r < ROWS; r++) x[r] = *reinterpret_cast<const float4*>(h + r * Wp + k);
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

    // The chunks' partial sums of (gate g, local unit u, batch row b), added in chunk order. Backward: g = 0.
    __device__ float recurrent(int g, int u, int b) const {
        const float* p = partial + b * rows + g * U + u;
        float sum = p[0];
        for (int c = 1; c < chunks; c++) sum += p[c * Bp * rows];
        return sum;
    }

    // Forward: h_{t-1}[b, j].
    __device__ float previous(int b, int j) const {
        return current[b * Wp + j];
    }

    // values[n] into column n*H + j of batch row b of the next buffer of every block of the cluster, this one
    // included: forward h_t of (b, j) (N = 1), backward the G gate gradients of (b, j).
    template <int N>
    __device__ void publish(int t, int b, int j, const float (&values)[N]) const {
        float* next = buffers + ((t + 1) & 1) * Bp * Wp + b * Wp + j;
        cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
#pragma unroll
        for (int r = 0; r < CLUSTER_BLOCKS; r++) {
            float* there = cluster.map_shared_rank(next, r);
#pragma unroll
            for (int n = 0; n < N; n++) there[n * H] = values[n];
        }
    }

    __device__ void publish(int t, int b, int j, float h) const {
        const float values[1] = {h};
        publish(t, b, j, values);
    }
};

// All T steps of a cell on the cluster, one (unit, batch row) per thread at most (ClusterPlan gives a block at
// least units * B threads). The step's global memory traffic stays off the critical path: its inputs are loaded
// before the products, and its outputs are stored after this block's arrival at the cluster barrier, whose release
// then covers only the h pushes the other blocks need.
template <class Cell, int G>
__device__ void run_cluster(const Cell& cell, ClusterSlice<G, false>& slice, int steps) {
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

// All T steps of a cell's backward on the cluster, t = T-1 down to 0 (see the comment at the top). Cell (in
// persistent_cells.cuh) gives:
//   Carry begin(j, b)                  what a thread keeps from step to step (dL/dh_T, dL/dc_t, ...), from the inputs
//   Inputs load(t, j, b)               the step's saved forward values and dOutput
//   float dh(carry, recurrent)         dL/dh_{t+1} from step t+1's product (GRU adds its z * dh)
//   Outputs step(in, dh, carry)        the pointwise backward; push[GATES] are the values multiplied with W_hh
//   store(t, j, b, out)                the step's gradients into global memory
//   finish(j, b, dh, carry)            dL/dh_0 (and dL/dc_0) into global memory
// As forward, a step's loads come before the products and its stores after the barrier arrival.
template <class Cell, int G>
__device__ void run_cluster_backward(const Cell& cell, ClusterSlice<G, true>& slice, int steps) {
    static_assert(Cell::GATES == G, "the cell's gate count and the slice's differ");
    if (steps <= 0) return;  // dL/dh_0 = dL/dh_T and dL/dc_0 = dL/dc_T are already in place (uniform: no barrier)
    cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
    const bool mine = (int) threadIdx.x < slice.units * cell.B;
    const int b = mine ? (int) threadIdx.x / slice.units : 0;
    const int u = mine ? (int) threadIdx.x - b * slice.units : 0;
    const int j = slice.firstUnit + u;
    typename Cell::Carry carry;
    if (mine) carry = cell.begin(j, b);
    for (int s = 0; s < steps; s++) {
        const int t = steps - 1 - s;
        typename Cell::Inputs in;
        if (mine) in = cell.load(t, j, b);
        if (s > 0) slice.recurrentProducts(s);  // the same s in every thread: the __syncthreads inside is safe
        typename Cell::Outputs out;
        if (mine) {
            out = cell.step(in, s == 0 ? carry.dhLast : cell.dh(carry, slice.recurrent(0, u, b)), carry);
            slice.publish(s, b, j, out.push);
        }
        cluster.barrier_arrive();
        if (mine) cell.store(t, j, b, out);
        cluster.barrier_wait();
    }
    slice.recurrentProducts(steps);
    if (mine) cell.finish(j, b, cell.dh(carry, slice.recurrent(0, u, b)), carry);
}
