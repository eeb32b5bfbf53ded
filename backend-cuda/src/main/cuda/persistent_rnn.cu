// nvcc-flags: -fmad=false
//
// A whole vanilla RNN forward recurrence (tanh or relu) in one cooperative launch, for small batches:
// persistent.cuh's grid scheme with persistent_cells.cuh's RNN step. The dot products add in another order than
// the SGEMM, so results agree with the per-step path to the cell tolerance.
#include "persistent.cuh"

// Arguments as RnnPersistentCell's, plus wHh [H, H], h0 [B, H], the units per block and the grid barrier.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
rnn_persistent_forward_f32(const float* xProj, const float* wHh, const float* h0, float* hidden, int steps, int batch,
                           int hiddenSize, int unitsPerBlock, int relu, unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    PersistentSlice<1> slice(shared, wHh, h0, hidden, barrier, hiddenSize, unitsPerBlock, batch);
    run_persistent(RnnPersistentCell{xProj, hidden, hiddenSize, batch, relu}, slice, steps);
}
