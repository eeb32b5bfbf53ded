// nvcc-flags: -fmad=false
//
// A whole vanilla RNN forward recurrence (tanh or relu) in one launch, for small batches; see persistent.cuh.
// Same semantics as the per-step path: h_t = f(xProj_t + h_{t-1} W_hh^T), f as in elementwise.cu. The dot
// products add in another order than the SGEMM, so results agree with the per-step path to the cell tolerance.
#include "persistent.cuh"

// xProj [T*B, H]: W_ih x_t + b_ih + b_hh per step; wHh [H, H]; h0 [B, H]; hidden [T*B, H] out: h_t;
// relu: 0 for tanh, 1 for relu.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
rnn_persistent_forward_f32(const float* xProj, const float* wHh, const float* h0, float* hidden, int steps, int batch,
                           int hiddenSize, int unitsPerBlock, int relu, unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    PersistentSlice<1> slice(shared, hiddenSize, unitsPerBlock, batch);
    slice.loadWeights(wHh);
    const int H = hiddenSize;
    for (int t = 0; t < steps; t++) {
        slice.recurrentProducts(t == 0 ? h0 : hidden + (long long) (t - 1) * batch * H);
        for (int e = threadIdx.x; e < slice.units * batch; e += blockDim.x) {
            int u = e / batch;
            int b = e - u * batch;
            int j = slice.firstUnit + u;
            long long row = (long long) t * batch + b;
            float pre = xProj[row * H + j] + slice.recurrent(0, u, b);
            hidden[row * H + j] = relu ? unroll_relu(pre) : unroll_tanh(pre);
        }
        grid_barrier(barrier, gridDim.x);
    }
}
