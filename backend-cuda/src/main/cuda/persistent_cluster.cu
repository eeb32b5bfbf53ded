// nvcc-flags: -fmad=false -arch=compute_90
//
// Whole LSTM, GRU and vanilla RNN recurrences, forward and backward (BPTT), in either time direction, in one launch
// of one thread block cluster, for small batches on compute capability 9.0+ (Hopper and newer):
// persistent_cluster.cuh's scheme with persistent_cells.cuh's steps. Every kernel takes the direction, reverse: 0
// or 1, then last the rows that run per time step, active: T counts or null for all (TimeOrder in
// persistent_cells.cuh says where each direction's states are, and which rows run).
// Launched with an ordinary cuLaunchKernel: the cluster shape is compiled in, and the grid is that one cluster
// (CLUSTER_BLOCKS blocks). The dot products add in another order than the SGEMM, so results agree with the
// per-step path to the cell tolerance, not bit for bit.
#include "persistent_cluster.cuh"

// Arguments as LstmPersistentCell's, plus wHh [4H, H], h0 [B, H], the column chunk K (ClusterPlan), the
// direction and the rows that run.
extern "C" __global__ void __cluster_dims__(CLUSTER_BLOCKS, 1, 1) __launch_bounds__(CLUSTER_MAX_THREADS)
lstm_cluster_forward_f32(const float* xProj, const float* wHh, const float* h0, const float* c0, float* gates,
                         float* cells, float* hidden, int steps, int batch, int hiddenSize, int chunk, int reverse,
                         const int* active) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    ClusterSlice<4> slice(shared, wHh, h0, hiddenSize, batch, chunk);
    const LstmPersistentCell cell{xProj, c0, gates, cells, hidden, hiddenSize, batch};
    in_direction(steps, reverse, active, [&](auto order) { run_cluster(cell, slice, order); });
}

// Arguments as GruPersistentCell's, plus wHh [3H, H], h0 [B, H], the column chunk K, the direction and the rows
// that run.
extern "C" __global__ void __cluster_dims__(CLUSTER_BLOCKS, 1, 1) __launch_bounds__(CLUSTER_MAX_THREADS)
gru_cluster_forward_f32(const float* xProj, const float* wHh, const float* bHh, const float* h0, float* gates,
                        float* hProj, float* hidden, int steps, int batch, int hiddenSize, int chunk, int reverse,
                        const int* active) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    ClusterSlice<3> slice(shared, wHh, h0, hiddenSize, batch, chunk);
    const GruPersistentCell cell{xProj, bHh, gates, hProj, hidden, hiddenSize, batch};
    in_direction(steps, reverse, active, [&](auto order) { run_cluster(cell, slice, order); });
}

// Arguments as RnnPersistentCell's, plus wHh [H, H], h0 [B, H], the column chunk K, the direction and the rows
// that run.
extern "C" __global__ void __cluster_dims__(CLUSTER_BLOCKS, 1, 1) __launch_bounds__(CLUSTER_MAX_THREADS)
rnn_cluster_forward_f32(const float* xProj, const float* wHh, const float* h0, float* hidden, int steps, int batch,
                        int hiddenSize, int chunk, int relu, int reverse, const int* active) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    ClusterSlice<1> slice(shared, wHh, h0, hiddenSize, batch, chunk);
    const RnnPersistentCell cell{xProj, hidden, hiddenSize, batch, relu};
    in_direction(steps, reverse, active, [&](auto order) { run_cluster(cell, slice, order); });
}

// The backward recurrences (BPTT) on the same cluster, W_hh transposed (persistent_cluster.cuh): arguments as
// LstmBackwardCell's plus wHh [4H, H], the column chunk K of the transposed rows (4H long), the direction of the
// forward being differentiated and the rows that ran at each time step (active, as the forward's).
extern "C" __global__ void __cluster_dims__(CLUSTER_BLOCKS, 1, 1) __launch_bounds__(CLUSTER_MAX_THREADS)
lstm_cluster_backward_f32(const float* gates, const float* wHh, const float* cells, const float* dOutput,
                          float* dGates, float* dHidden, float* dCell, int steps, int batch, int hiddenSize,
                          int chunk, int reverse, const int* active) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    ClusterSlice<4, true> slice(shared, wHh, nullptr, hiddenSize, batch, chunk);
    const LstmBackwardCell cell{gates, cells, dOutput, dGates, dHidden, dCell, hiddenSize, batch};
    in_direction(steps, reverse, active, [&](auto order) { run_cluster_backward(cell, slice, order); });
}

// Arguments as GruBackwardCell's plus wHh [3H, H], the column chunk K (rows 3H long), the direction and the rows
// that run.
extern "C" __global__ void __cluster_dims__(CLUSTER_BLOCKS, 1, 1) __launch_bounds__(CLUSTER_MAX_THREADS)
gru_cluster_backward_f32(const float* gates, const float* hProj, const float* wHh, const float* states,
                         const float* dOutput, float* dGates, float* dHProj, float* dHidden, int steps, int batch,
                         int hiddenSize, int chunk, int reverse, const int* active) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    ClusterSlice<3, true> slice(shared, wHh, nullptr, hiddenSize, batch, chunk);
    const GruBackwardCell cell{gates, hProj, states, dOutput, dGates, dHProj, dHidden, hiddenSize, batch};
    in_direction(steps, reverse, active, [&](auto order) { run_cluster_backward(cell, slice, order); });
}

// Arguments as RnnBackwardCell's plus wHh [H, H], the column chunk K, the direction and the rows that run.
extern "C" __global__ void __cluster_dims__(CLUSTER_BLOCKS, 1, 1) __launch_bounds__(CLUSTER_MAX_THREADS)
rnn_cluster_backward_f32(const float* wHh, const float* states, const float* dOutput, float* dGates, float* dHidden,
                         int steps, int batch, int hiddenSize, int chunk, int relu, int reverse,
                         const int* active) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    ClusterSlice<1, true> slice(shared, wHh, nullptr, hiddenSize, batch, chunk);
    const RnnBackwardCell cell{states, dOutput, dGates, dHidden, hiddenSize, batch, relu};
    in_direction(steps, reverse, active, [&](auto order) { run_cluster_backward(cell, slice, order); });
}
