// nvcc-flags: -fmad=false
//
// A whole GRU forward recurrence in one launch, for small batches; see persistent.cuh for the scheme.
// Same semantics as the per-step path: hProj_t = h_{t-1} W_hh^T + b_hh, then the pointwise GRU of
// gru_step_forward_f32 (same functions, same rounding) on gates_t = xProj_t. The dot products add in another
// order than the SGEMM, so results agree with the per-step path to the cell tolerance, not bit for bit.
#include "persistent.cuh"

// xProj [T*B, 3H]: W_ih x_t + b_ih per step (gate order r, z, n); wHh [3H, H]; bHh [3H]; h0 [B, H];
// gates [T*B, 3H] out: the activations r, z, n; hProj [T*B, 3H] out: W_hh h_{t-1} + b_hh (backward needs its
// n part); hidden [T*B, H] out: h_t.
extern "C" __global__ void __launch_bounds__(PERSISTENT_THREADS)
gru_persistent_forward_f32(const float* xProj, const float* wHh, const float* bHh, const float* h0, float* gates,
                           float* hProj, float* hidden, int steps, int batch, int hiddenSize, int unitsPerBlock,
                           unsigned int* barrier) {
    UNROLL_DYNAMIC_SHARED(float, shared);
    PersistentSlice<3> slice(shared, hiddenSize, unitsPerBlock, batch);
    slice.loadWeights(wHh);
    const int H = hiddenSize;
    const long long gateStride = 3LL * H;
    for (int t = 0; t < steps; t++) {
        const float* hSource = t == 0 ? h0 : hidden + (long long) (t - 1) * batch * H;
        slice.recurrentProducts(hSource);
        for (int e = threadIdx.x; e < slice.units * batch; e += blockDim.x) {
            int u = e / batch;
            int b = e - u * batch;
            int j = slice.firstUnit + u;
            long long row = (long long) t * batch + b;
            const float* x = xProj + row * gateStride;
            float hr = slice.recurrent(0, u, b) + bHh[j];
            float hz = slice.recurrent(1, u, b) + bHh[H + j];
            float hn = slice.recurrent(2, u, b) + bHh[2 * H + j];
            float r = unroll_sigmoid(x[j] + hr);
            float z = unroll_sigmoid(x[H + j] + hz);
            float rh = r * hn;
            float n = unroll_tanh(x[2 * H + j] + rh);
            // h = (1 - z) * n + z * hPrev, computed as n + z * (hPrev - n) like the composite.
            float diff = slice.hPrev[b * H + j] - n;
            diff = z * diff;
            float* gOut = gates + row * gateStride;
            gOut[j] = r;
            gOut[H + j] = z;
            gOut[2 * H + j] = n;
            float* pOut = hProj + row * gateStride;
            pOut[j] = hr;
            pOut[H + j] = hz;
            pOut[2 * H + j] = hn;
            hidden[row * H + j] = n + diff;
        }
        grid_barrier(barrier, gridDim.x);
    }
}
