// nvcc-flags: -fmad=false
//
// A whole LSTM forward recurrence in one launch, for small batches; see persistent.cuh for the scheme.
// Same semantics as the per-step path: gates = xProj_t + h_{t-1} W_hh^T, then the pointwise LSTM of
// lstm_step_forward_f32 (same functions, same rounding). The dot products add in another order than the SGEMM,
// so results agree with the per-step path to the cell tolerance, not bit for bit.
#include "persistent.cuh"

// xProj [T*B, 4H]: W_ih x_t + b_ih + b_hh per step; wHh [4H, H]; h0, c0 [B, H];
// gates [T*B, 4H] out: the activations per step (for backward); cells, hidden [T*B, H] out: c_t and h_t.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
lstm_persistent_forward_f32(const float* xProj, const float* wHh, const float* h0, const float* c0, float* gates,
                            float* cells, float* hidden, int steps, int batch, int hiddenSize, int unitsPerBlock,
                            unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    PersistentSlice<4> slice(shared, hiddenSize, unitsPerBlock, batch);
    slice.loadWeights(wHh);
    const int H = hiddenSize;
    const long long gateStride = 4LL * H;
    for (int t = 0; t < steps; t++) {
        slice.recurrentProducts(t == 0 ? h0 : hidden + (long long) (t - 1) * batch * H);
        for (int e = threadIdx.x; e < slice.units * batch; e += blockDim.x) {
            int u = e / batch;
            int b = e - u * batch;
            int j = slice.firstUnit + u;
            long long row = (long long) t * batch + b;
            const float* x = xProj + row * gateStride;
            float i = unroll_sigmoid(x[j] + slice.recurrent(0, u, b));
            float f = unroll_sigmoid(x[H + j] + slice.recurrent(1, u, b));
            float g = unroll_tanh(x[2 * H + j] + slice.recurrent(2, u, b));
            float o = unroll_sigmoid(x[3 * H + j] + slice.recurrent(3, u, b));
            // The same thread wrote c_{t-1} of this unit and batch row at the previous step.
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
