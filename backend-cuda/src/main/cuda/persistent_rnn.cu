// nvcc-flags: -fmad=false
//
// A whole vanilla RNN forward recurrence (tanh or relu), in either time direction, in one cooperative launch, for
// small batches: persistent.cuh's grid scheme with persistent_cells.cuh's RNN step. The dot products add in another
// order than the SGEMM, so results agree with the per-step path to the cell tolerance.
#include "persistent.cuh"

// Arguments as RnnPersistentCell's, plus wHh [H, H], h0 [B, H], the units per block, the direction
// (reverse: 0 or 1), the rows that run per time step (active: T counts or null for all; both in
// persistent_cells.cuh) and the grid barrier.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
rnn_persistent_forward_f32(const float* xProj, const float* wHh, const float* h0, float* hidden, int steps, int batch,
                           int hiddenSize, int unitsPerBlock, int relu, int reverse, const int* active,
                           unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    PersistentSlice<1> slice(shared, wHh, h0, hidden, barrier, hiddenSize, unitsPerBlock, batch);
    const RnnPersistentCell cell{xProj, hidden, hiddenSize, batch, relu};
    in_direction(steps, reverse, active, [&](auto order) { run_persistent(cell, slice, order); });
}
