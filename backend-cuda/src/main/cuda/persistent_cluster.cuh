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
// the previous state h_prev (h_{t-1}, or h_{t+1} reversed) from shared memory as float4 (the lanes of a warp read
// the same words: broadcasts). The pointwise step adds a unit's chunks in order.
//
// Dynamic shared memory (ClusterPlan.java computes the same size): two buffers of Bp x Wp floats (Bp = B rounded
// up to 4, Wp = chunks * K, the row width rounded up to chunks; the padding stays zero), then chunks x Bp x rows
// floats of partial sums (rows fastest, so the pointwise step's neighbouring units read neighbouring words).
//
// Each step every block pushes its h values into the other buffer of every block of the cluster, then meets the
// others at the cluster barrier (run_cluster). The buffers are indexed by the count of steps done, s, not by the
// time step (with reverse = 1 the time steps run T-1 down to 0, see TimeOrder in persistent_cells.cuh; only the
// time step t indexes global memory). Two buffers make one barrier per step enough: a block writing step s+1's h
// into buffer (s+2) % 2 has passed step s's barrier, which every block reached only after reading that buffer at
// step s. The barrier and the pushes alone cost 0.3 to 0.6 us a step on an H200 (cluster_step_floor.cu in the tests
// measures them).
//
// Backward (BPTT, run_cluster_backward): the same blocks, units and buffers with W_hh transposed. The gradient
// step t sends to the state it read, h_prev[b, j], is sum over r < G*H of dGates_t[b, r] * W_hh[r, j]: the block
// owning j needs all G*H gate gradients of the step (every block's), and column j of W_hh. So block q holds in
// registers the columns j of its units, U rows of W_hh^T each G*H long, cut into chunks of K (threads U * chunks
// rather than the forward's G*U * ceil(H / K): about the same). Each step, in the opposite time order of the
// forward (t = T-1 down to 0, or 0 up to T-1 with reverse = 1), the thread of (unit j, batch row b) reads the
// gradient reaching the state that step t wrote from the products of the previous step's gradients, runs the
// cell's pointwise backward, and pushes its G gate gradients into columns g*H + j of every block's next buffer;
// after the cluster barrier every block multiplies the whole pushed vector with its columns. The buffers are
// indexed by the count of steps done, s, as forward, so the double-buffering argument above holds unchanged; the
// first step takes dL/dh of the final state from dHidden and has no product, and after the last one more product
// gives dL/dh of the initial state.
// Each (unit, batch row) pushes G values instead of one, to words H apart; the lanes of a warp still push
// neighbouring words, as forward.
//
// Variable-length batches (`active`, TimeOrder::runs in persistent_cells.cuh): a (unit, batch row) that does not run
// a step still pushes every step, forward its carried h (h_prev, so the buffers hold every row's state), backward
// zeros. The products are computed only for the rows that read them (rows that run run first: [0, active[t])):
// forward the rows that run the step, backward the rows that ran the step before (the others take their dL/dh from
// the carry). Backward, its thread keeps the dL/dh that reached the step instead (Carry::dh) and hands it to the next
// step it runs, or to dHidden at the end, in place of that step's product.
#pragma once

#include "persistent_cells.cuh"

#ifdef __CUDACC__
#include <cooperative_groups.h>
#endif

#define CLUSTER_BLOCKS 8
#define CLUSTER_MAX_THREADS 512
#define CLUSTER_MAX_CHUNK 32

// A block's slice of W_hh in registers and its shared buffers. Forward (TRANSPOSED false): G rows per owned unit
// j, W_hh's rows g*H + j, each H long, multiplied with h_prev. Backward (TRANSPOSED true): one row per owned unit
// j, W_hh's column j (a row of W_hh^T), G*H long, multiplied with the gradients of the step's G*H gate
// pre-activations. Either way a row is cut into chunks of K, one (row, chunk) per thread.
template <int G, bool TRANSPOSED = false>
struct ClusterSlice {
    static constexpr int ROWS_PER_UNIT = TRANSPOSED ? 1 : G;
    int H, B, Bp, K, width, chunks, Wp, U, rows, firstUnit, units;
    int row, chunk;                // this thread's weight row and column chunk; chunk < 0: no products
    float w[CLUSTER_MAX_CHUNK];    // the row's columns [chunk*K, chunk*K + K), zero beyond width
    float* buffers;                // [2][Bp][Wp]: the vector that step s (s steps done) multiplies, in buffer s % 2
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

    // partial[chunk, b, row] = row's chunk . buffer[b, chunk] for the batch rows b < batchRows that read them
    // (rounded up to 4, within the zero padding): fused multiply-adds in column order; s steps done.
    __device__ void recurrentProducts(int s, int batchRows) {
        current = buffers + (s & 1) * Bp * Wp;
        const int end = min(Bp, (batchRows + 3) & ~3);
        if (chunk >= 0) {
            // eight batch rows at a time: more would not fit the registers beside the weights
            for (int first = 0; first < end; first += 8) {
                if (end - first >= 8) {
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

    // Forward: h_prev[b, j], the state this step reads.
    __device__ float previous(int b, int j) const {
        return current[b * Wp + j];
    }

    // values[n] into column n*H + j of batch row b of the next buffer of every block of the cluster, this one
    // included (s steps done before this one): forward the step's h of (b, j) (N = 1), backward the G gate
    // gradients of (b, j).
    template <int N>
    __device__ void publish(int s, int b, int j, const float (&values)[N]) const {
        float* next = buffers + ((s + 1) & 1) * Bp * Wp + b * Wp + j;
        cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
#pragma unroll
        for (int r = 0; r < CLUSTER_BLOCKS; r++) {
            float* there = cluster.map_shared_rank(next, r);
#pragma unroll
            for (int n = 0; n < N; n++) there[n * H] = values[n];
        }
    }

    __device__ void publish(int s, int b, int j, float h) const {
        const float values[1] = {h};
        publish(s, b, j, values);
    }
};

// All T steps of a cell on the cluster, one (unit, batch row) per thread at most (ClusterPlan gives a block at
// least units * B threads). The step's global memory traffic stays off the critical path: its inputs are loaded
// before the products, and its outputs are stored after this block's arrival at the cluster barrier, whose release
// then covers only the h pushes the other blocks need. A row that does not run the step loads nothing but its
// carried state (Cell::carry).
template <class Cell, int G, class Order>
__device__ void run_cluster(const Cell& cell, ClusterSlice<G, false>& slice, const Order& order) {
    cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
    const bool mine = (int) threadIdx.x < slice.units * cell.B;
    const int b = mine ? (int) threadIdx.x / slice.units : 0;
    const int u = mine ? (int) threadIdx.x - b * slice.units : 0;
    const int j = slice.firstUnit + u;
    for (int s = 0; s < order.steps; s++) {
        const ForwardStep step = order.forward(s);
        const bool runs = mine && order.runs(step.t, b);
        typename Cell::Inputs in;
        if (runs) in = cell.load(step, j, b);
        slice.recurrentProducts(s, order.running(step.t, cell.B));
        typename Cell::Outputs out;
        if (mine) {
            out = runs ? cell.step(slice, u, b, in) : cell.carry(slice, step, u, b);
            slice.publish(s, b, j, out.h);
        }
        cluster.barrier_arrive();
        if (mine) cell.store(step.t, j, b, out, runs);
        cluster.barrier_wait();
    }
}

// All T steps of a cell's backward on the cluster, in the opposite time order of the forward (TimeOrder::backward,
// see the comment at the top). Cell (in persistent_cells.cuh) gives:
//   Carry begin(j, b)                  what a thread keeps from step to step (dh: dL/dh of the final state, dL/dc,
//                                      ...), from the inputs
//   Inputs load(step, j, b)            the step's saved forward values and dOutput
//   float dh(carry, recurrent)         dL/dh of the state the step wrote, from the previous step's product (GRU adds
//                                      its z * dh)
//   Outputs step(in, dh, carry)        the pointwise backward; push[GATES] are the values multiplied with W_hh
//   store(t, j, b, out)                the step's gradients into global memory
//   finish(j, b, dh, carry)            dL/dh (and dL/dc) of the initial state into global memory
// As forward, a step's loads come before the products and its stores after the barrier arrival. The dL/dh that
// reaches a step's output state is carry.dh where no product reaches it (fromCarry): at the first step, and after a
// step that the row did not run, which kept the dL/dh that reached it in carry.dh and pushed zeros.
template <class Cell, int G, class Order>
__device__ void run_cluster_backward(const Cell& cell, ClusterSlice<G, true>& slice, const Order& order) {
    static_assert(Cell::GATES == G, "the cell's gate count and the slice's differ");
    const int steps = order.steps;
    if (steps <= 0) return;  // the initial state's gradients are the final state's, already in place (uniform: no
                             // barrier)
    cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
    const bool mine = (int) threadIdx.x < slice.units * cell.B;
    const int b = mine ? (int) threadIdx.x / slice.units : 0;
    const int u = mine ? (int) threadIdx.x - b * slice.units : 0;
    const int j = slice.firstUnit + u;
    typename Cell::Carry carry;
    if (mine) carry = cell.begin(j, b);
    bool fromCarry = true;
    int ranBefore = 0;  // the batch rows that ran the step before: the ones that read this step's products
    for (int s = 0; s < steps; s++) {
        const BackwardStep step = order.backward(s);
        const bool runs = mine && order.runs(step.t, b);
        typename Cell::Inputs in;
        if (runs) in = cell.load(step, j, b);
        // the same s and rows in every thread: the __syncthreads inside is safe
        if (s > 0) slice.recurrentProducts(s, ranBefore);
        typename Cell::Outputs out;
        if (mine) {
            const float dh = fromCarry ? carry.dh : cell.dh(carry, slice.recurrent(0, u, b));
            if (runs) {
                out = cell.step(in, dh, carry);
            } else {
                out = {};  // nothing goes through W_hh
                carry.dh = dh;
            }
            fromCarry = !runs;
            slice.publish(s, b, j, out.push);
        }
        cluster.barrier_arrive();
        if (runs) cell.store(step.t, j, b, out);
        ranBefore = order.running(step.t, cell.B);
        cluster.barrier_wait();
    }
    slice.recurrentProducts(steps, ranBefore);
    if (mine) cell.finish(j, b, fromCarry ? carry.dh : cell.dh(carry, slice.recurrent(0, u, b)), carry);
}
