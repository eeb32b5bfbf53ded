// The pointwise half of the persistent recurrence kernels, shared by the grid kernels (persistent_{lstm,gru,rnn}.cu
// with persistent.cuh) and the cluster kernels (persistent_cluster.cu with persistent_cluster.cuh). Both split the
// hidden units over blocks and differ only in how a block gets h_{t-1} and meets the others between steps; that is
// the Slice's part:
//   recurrentProducts(t)  the recurrent pre-activations of step t for this block's units, then __syncthreads
//   recurrent(g, u, b)    the pre-activation of gate g, local unit u, batch row b
//   previous(b, j)        h_{t-1} of batch row b, hidden unit j
//   publish(t, b, j, h)   hand h_t of (b, j) to the other blocks (beyond writing it to hidden)
//   endStep(t)            wait until every block has published step t
// and firstUnit, units: the block's hidden units [firstUnit, firstUnit + units).
//
// Each cell's step has the semantics and rounding of its per-step kernel in recurrent_steps.cu (same functions,
// same operation order); only the dot products add in another order than the SGEMM.
#pragma once

#include "scalar_math.cuh"

// LSTM. xProj [T*B, 4H]: W_ih x_t + b_ih + b_hh per step (gate order i, f, g, o); c0 [B, H];
// gates [T*B, 4H] out: the activations; cells, hidden [T*B, H] out: c_t and h_t.
struct LstmPersistentCell {
    static constexpr int GATES = 4;
    const float* xProj;
    const float* c0;
    float* gates;
    float* cells;
    float* hidden;
    int H, B;

    template <class Slice>
    __device__ float step(const Slice& slice, int t, int u, int b) const {
        int j = slice.firstUnit + u;
        long long row = (long long) t * B + b;
        const float* x = xProj + row * 4 * H;
        float i = unroll_sigmoid(x[j] + slice.recurrent(0, u, b));
        float f = unroll_sigmoid(x[H + j] + slice.recurrent(1, u, b));
        float g = unroll_tanh(x[2 * H + j] + slice.recurrent(2, u, b));
        float o = unroll_sigmoid(x[3 * H + j] + slice.recurrent(3, u, b));
        // The same thread wrote c_{t-1} of this unit and batch row at the previous step.
        float cPrev = t == 0 ? c0[b * H + j] : cells[(row - B) * H + j];
        float ig = i * g;
        float cv = f * cPrev;
        cv = cv + ig;
        float* gOut = gates + row * 4 * H;
        gOut[j] = i;
        gOut[H + j] = f;
        gOut[2 * H + j] = g;
        gOut[3 * H + j] = o;
        cells[row * H + j] = cv;
        float h = o * unroll_tanh(cv);
        hidden[row * H + j] = h;
        return h;
    }
};

// GRU. xProj [T*B, 3H]: W_ih x_t + b_ih per step (gate order r, z, n); bHh [3H];
// gates [T*B, 3H] out: r, z, n; hProj [T*B, 3H] out: W_hh h_{t-1} + b_hh (backward needs its n part);
// hidden [T*B, H] out: h_t.
struct GruPersistentCell {
    static constexpr int GATES = 3;
    const float* xProj;
    const float* bHh;
    float* gates;
    float* hProj;
    float* hidden;
    int H, B;

    template <class Slice>
    __device__ float step(const Slice& slice, int t, int u, int b) const {
        int j = slice.firstUnit + u;
        long long row = (long long) t * B + b;
        const float* x = xProj + row * 3 * H;
        float hr = slice.recurrent(0, u, b) + bHh[j];
        float hz = slice.recurrent(1, u, b) + bHh[H + j];
        float hn = slice.recurrent(2, u, b) + bHh[2 * H + j];
        float r = unroll_sigmoid(x[j] + hr);
        float z = unroll_sigmoid(x[H + j] + hz);
        float rh = r * hn;
        float n = unroll_tanh(x[2 * H + j] + rh);
        // h = (1 - z) * n + z * hPrev, computed as n + z * (hPrev - n) like the composite.
        float diff = slice.previous(b, j) - n;
        diff = z * diff;
        float* gOut = gates + row * 3 * H;
        gOut[j] = r;
        gOut[H + j] = z;
        gOut[2 * H + j] = n;
        float* pOut = hProj + row * 3 * H;
        pOut[j] = hr;
        pOut[H + j] = hz;
        pOut[2 * H + j] = hn;
        float h = n + diff;
        hidden[row * H + j] = h;
        return h;
    }
};

// Vanilla RNN. xProj [T*B, H]: W_ih x_t + b_ih + b_hh per step; hidden [T*B, H] out: h_t = f(xProj_t + h_{t-1}
// W_hh^T); relu: 0 for tanh, 1 for relu (f as in elementwise.cu).
struct RnnPersistentCell {
    static constexpr int GATES = 1;
    const float* xProj;
    float* hidden;
    int H, B, relu;

    template <class Slice>
    __device__ float step(const Slice& slice, int t, int u, int b) const {
        int j = slice.firstUnit + u;
        long long row = (long long) t * B + b;
        float pre = xProj[row * H + j] + slice.recurrent(0, u, b);
        float h = relu ? unroll_relu(pre) : unroll_tanh(pre);
        hidden[row * H + j] = h;
        return h;
    }
};

// All T steps of a cell on one block's slice: the recurrent products, the pointwise step of each (unit, batch row)
// the block owns, the exchange of h_t. Every thread of every block runs every iteration (the barriers need them).
// Neighbouring threads take neighbouring units of one batch row, so their loads and stores of a row's gates,
// cells and h fall into the same memory segments (with the batch row fastest, every lane hit its own segment and
// the memory accesses of a step cost more than its arithmetic).
template <class Cell, class Slice>
__device__ void run_persistent(const Cell& cell, Slice& slice, int steps) {
    for (int t = 0; t < steps; t++) {
        slice.recurrentProducts(t);
        for (int e = threadIdx.x; e < slice.units * cell.B; e += blockDim.x) {
            int b = e / slice.units;
            int u = e - b * slice.units;
            slice.publish(t, b, slice.firstUnit + u, cell.step(slice, t, u, b));
        }
        slice.endStep(t);
    }
}
