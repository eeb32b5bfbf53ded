// nvcc-flags: -fmad=false
//
// A whole LSTM forward recurrence, in either time direction, in one cooperative launch, for small batches:
// persistent.cuh's grid scheme with persistent_cells.cuh's LSTM step. The dot products add in another order than
// the SGEMM, so results agree with the per-step path to the cell tolerance, not bit for bit.
#include "persistent.cuh"

// Arguments as LstmPersistentCell's, plus wHh [4H, H], h0 [B, H], the units per block, the direction
// (reverse: 0 or 1), the rows that run per time step (active: T counts or null for all; both in
// persistent_cells.cuh) and the grid barrier.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
lstm_persistent_forward_f32(const float* xProj, const float* wHh, const float* h0, const float* c0, float* gates,
                            float* cells, float* hidden, int steps, int batch, int hiddenSize, int unitsPerBlock,
                            int reverse, const int* active, unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    PersistentSlice<4> slice(shared, wHh, h0, hidden, barrier, hiddenSize, unitsPerBlock, batch);
    const LstmPersistentCell cell{xProj, c0, gates, cells, hidden, hiddenSize, batch};
    in_direction(steps, reverse, active, [&](auto order) { run_persistent(cell, slice, order); });
}
