// The pointwise half of the persistent recurrence kernels, shared by the grid kernels (persistent_{lstm,gru,rnn}.cu
// with persistent.cuh) and the cluster kernels (persistent_cluster.cu with persistent_cluster.cuh). Both split the
// hidden units over blocks and differ only in how a block gets h_{t-1} and meets the others between steps; that is
// the Slice's part:
//   recurrentProducts(t)  the recurrent pre-activations of step t for this block's units, then __syncthreads
//   recurrent(g, u, b)    the pre-activation of gate g, local unit u, batch row b
//   previous(b, j)        h_{t-1} of batch row b, hidden unit j
//   publish(t, b, j, h)   hand h_t of (b, j) to the other blocks (beyond writing it to hidden)
//   endStep(t)            wait until every block has published step t (run_persistent, the grid kernels' loop;
//                         the cluster kernels run their own, run_cluster, around the same cells)
// and firstUnit, units: the block's hidden units [firstUnit, firstUnit + units). A cell's step comes in three
// parts, so a scheme can move its memory traffic off the critical path: load (the step's inputs from global
// memory), step (the arithmetic, from the inputs and the slice), store (the outputs to global memory).
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

    struct Inputs {
        float x[4], cPrev;
    };
    struct Outputs {
        float act[4], c, h;
    };

    // The step's input projections and c_{t-1}, which the same thread stored at the previous step.
    __device__ Inputs load(int t, int j, int b) const {
        long long row = (long long) t * B + b;
        const float* x = xProj + row * 4 * H;
        return {{x[j], x[H + j], x[2 * H + j], x[3 * H + j]}, t == 0 ? c0[b * H + j] : cells[(row - B) * H + j]};
    }

    template <class Slice>
    __device__ Outputs step(const Slice& slice, int u, int b, const Inputs& in) const {
        float i = unroll_sigmoid(in.x[0] + slice.recurrent(0, u, b));
        float f = unroll_sigmoid(in.x[1] + slice.recurrent(1, u, b));
        float g = unroll_tanh(in.x[2] + slice.recurrent(2, u, b));
        float o = unroll_sigmoid(in.x[3] + slice.recurrent(3, u, b));
        float ig = i * g;
        float cv = f * in.cPrev;
        cv = cv + ig;
        return {{i, f, g, o}, cv, o * unroll_tanh(cv)};
    }

    __device__ void store(int t, int j, int b, const Outputs& out) const {
        long long row = (long long) t * B + b;
        float* gOut = gates + row * 4 * H;
        for (int g = 0; g < 4; g++) gOut[g * H + j] = out.act[g];
        cells[row * H + j] = out.c;
        hidden[row * H + j] = out.h;
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

    struct Inputs {
        float x[3];
    };
    struct Outputs {
        float act[3], proj[3], h;
    };

    __device__ Inputs load(int t, int j, int b) const {
        const float* x = xProj + ((long long) t * B + b) * 3 * H;
        return {{x[j], x[H + j], x[2 * H + j]}};
    }

    template <class Slice>
    __device__ Outputs step(const Slice& slice, int u, int b, const Inputs& in) const {
        // b_hh is the same every step: after the first, its loads hit L1
        int j = slice.firstUnit + u;
        float hr = slice.recurrent(0, u, b) + bHh[j];
        float hz = slice.recurrent(1, u, b) + bHh[H + j];
        float hn = slice.recurrent(2, u, b) + bHh[2 * H + j];
        float r = unroll_sigmoid(in.x[0] + hr);
        float z = unroll_sigmoid(in.x[1] + hz);
        float rh = r * hn;
        float n = unroll_tanh(in.x[2] + rh);
        // h = (1 - z) * n + z * hPrev, computed as n + z * (hPrev - n) like the composite.
        float diff = slice.previous(b, j) - n;
        diff = z * diff;
        return {{r, z, n}, {hr, hz, hn}, n + diff};
    }

    __device__ void store(int t, int j, int b, const Outputs& out) const {
        long long row = (long long) t * B + b;
        for (int g = 0; g < 3; g++) {
            gates[row * 3 * H + g * H + j] = out.act[g];
            hProj[row * 3 * H + g * H + j] = out.proj[g];
        }
        hidden[row * H + j] = out.h;
    }
};

// Vanilla RNN. xProj [T*B, H]: W_ih x_t + b_ih + b_hh per step; hidden [T*B, H] out: h_t = f(xProj_t + h_{t-1}
// W_hh^T); relu: 0 for tanh, 1 for relu (f as in elementwise.cu).
struct RnnPersistentCell {
    static constexpr int GATES = 1;
    const float* xProj;
    float* hidden;
    int H, B, relu;

    struct Inputs {
        float x;
    };
    struct Outputs {
        float h;
    };

    __device__ Inputs load(int t, int j, int b) const {
        return {xProj[((long long) t * B + b) * H + j]};
    }

    template <class Slice>
    __device__ Outputs step(const Slice& slice, int u, int b, const Inputs& in) const {
        float pre = in.x + slice.recurrent(0, u, b);
        return {relu ? unroll_relu(pre) : unroll_tanh(pre)};
    }

    __device__ void store(int t, int j, int b, const Outputs& out) const {
        hidden[((long long) t * B + b) * H + j] = out.h;
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
            int j = slice.firstUnit + u;
            typename Cell::Outputs out = cell.step(slice, u, b, cell.load(t, j, b));
            cell.store(t, j, b, out);
            slice.publish(t, b, j, out.h);
        }
        slice.endStep(t);
    }
}
