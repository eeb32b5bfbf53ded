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

#include "recurrent_steps.cuh"

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

// ---------------------------------------------------------------- backward (BPTT), for run_cluster_backward

// The three cells' backward steps, time-major [T*B, ...] buffers as the forwards leave them. Each step has the
// semantics of the SPI's per-step loop (Backend.{lstm,gru,rnn}SequenceBackward's default): dh is dL/dh_T at the
// last step, else the product of the later step's gradients with W_hh; dOutput_t, where given (not null), is added
// to it; then the per-step kernels' arithmetic (recurrent_steps.cuh, elementwise.cu's activation gradients).

// LSTM. gates [T*B, 4H] the activations; cells [(T+1)*B, H] (block 0: c_0); dOutput [T*B, H] or null;
// dGates [T*B, 4H] out; dHidden, dCell [B, H] in: dL/dh_T, dL/dc_T, out: dL/dh_0, dL/dc_0.
struct LstmBackwardCell {
    static constexpr int GATES = 4;
    const float* gates;
    const float* cells;
    const float* dOutput;
    float* dGates;
    float* dHidden;
    float* dCell;
    int H, B;

    struct Carry {
        float dhLast, dc;  // dL/dh_T; dL/dc_t, carried down the steps in a register
    };
    struct Inputs {
        float act[4], cPrev, c, dOut;
    };
    struct Outputs {
        float push[4];  // dGates_t of (b, j): stored, and multiplied with W_hh for dL/dh_t
    };

    __device__ Carry begin(int j, int b) const {
        return {dHidden[b * H + j], dCell[b * H + j]};
    }

    __device__ Inputs load(int t, int j, int b) const {
        long long row = (long long) t * B + b;
        const float* g = gates + row * 4 * H + j;
        return {{g[0], g[H], g[2 * H], g[3 * H]}, cells[row * H + j], cells[(row + B) * H + j],
                dOutput != nullptr ? dOutput[row * H + j] : 0.0f};
    }

    __device__ float dh(const Carry&, float recurrent) const {
        return recurrent;
    }

    __device__ Outputs step(const Inputs& in, float dh, Carry& carry) const {
        if (dOutput != nullptr) dh = dh + in.dOut;  // not + 0.0f: that would turn a -0.0f into +0.0f
        LstmStepGradients d = unroll_lstm_step_backward(in.act[0], in.act[1], in.act[2], in.act[3], in.cPrev, in.c,
                                                        dh, carry.dc);
        carry.dc = d.dcPrev;
        return {{d.dGates[0], d.dGates[1], d.dGates[2], d.dGates[3]}};
    }

    __device__ void store(int t, int j, int b, const Outputs& out) const {
        float* d = dGates + ((long long) t * B + b) * 4 * H + j;
        for (int g = 0; g < 4; g++) d[g * H] = out.push[g];
    }

    __device__ void finish(int j, int b, float dh, const Carry& carry) const {
        dHidden[b * H + j] = dh;
        dCell[b * H + j] = carry.dc;
    }
};

// GRU. gates [T*B, 3H] the activations r, z, n; hProj [T*B, 3H] W_hh h_t + b_hh of each step; states
// [(T+1)*B, H] (block 0: h_0); dOutput [T*B, H] or null; dGates, dHProj [T*B, 3H] out: dL/d(W_ih x_t + b_ih) and
// dL/d(W_hh h_t + b_hh); dHidden [B, H] in: dL/dh_T, out: dL/dh_0. dHProj is what multiplies W_hh.
struct GruBackwardCell {
    static constexpr int GATES = 3;
    const float* gates;
    const float* hProj;
    const float* states;
    const float* dOutput;
    float* dGates;
    float* dHProj;
    float* dHidden;
    int H, B;

    struct Carry {
        float dhLast, dhz;  // dL/dh_T; z * dh of the later step, which reaches h_t past W_hh
    };
    struct Inputs {
        float act[3], hn, hPrev, dOut;
    };
    struct Outputs {
        float dInput[3];
        float push[3];  // dHProj_t of (b, j)
    };

    __device__ Carry begin(int j, int b) const {
        return {dHidden[b * H + j], 0.0f};
    }

    __device__ Inputs load(int t, int j, int b) const {
        long long row = (long long) t * B + b;
        const float* g = gates + row * 3 * H + j;
        return {{g[0], g[H], g[2 * H]}, hProj[row * 3 * H + 2 * H + j], states[row * H + j],
                dOutput != nullptr ? dOutput[row * H + j] : 0.0f};
    }

    // As the per-step loop: dh = dhz, then dh += dHProj_{t+1} W_hh (the product rounded to float first).
    __device__ float dh(const Carry& carry, float recurrent) const {
        return recurrent + carry.dhz;
    }

    __device__ Outputs step(const Inputs& in, float dh, Carry& carry) const {
        if (dOutput != nullptr) dh = dh + in.dOut;
        GruStepGradients d = unroll_gru_step_backward(in.act[0], in.act[1], in.act[2], in.hn, in.hPrev, dh);
        carry.dhz = d.dhz;
        return {{d.dInput[0], d.dInput[1], d.dInput[2]}, {d.dHidden[0], d.dHidden[1], d.dHidden[2]}};
    }

    __device__ void store(int t, int j, int b, const Outputs& out) const {
        long long offset = ((long long) t * B + b) * 3 * H + j;
        for (int g = 0; g < 3; g++) {
            dGates[offset + g * H] = out.dInput[g];
            dHProj[offset + g * H] = out.push[g];
        }
    }

    __device__ void finish(int j, int b, float dh, const Carry&) const {
        dHidden[b * H + j] = dh;
    }
};

// Vanilla RNN. states [(T+1)*B, H] (block 0: h_0); dOutput [T*B, H] or null; dGates [T*B, H] out: dL/d(pre-
// activation); dHidden [B, H] in: dL/dh_T, out: dL/dh_0; relu: 0 for tanh, 1 for relu.
struct RnnBackwardCell {
    static constexpr int GATES = 1;
    const float* states;
    const float* dOutput;
    float* dGates;
    float* dHidden;
    int H, B, relu;

    struct Carry {
        float dhLast;
    };
    struct Inputs {
        float h, dOut;
    };
    struct Outputs {
        float push[1];
    };

    __device__ Carry begin(int j, int b) const {
        return {dHidden[b * H + j]};
    }

    __device__ Inputs load(int t, int j, int b) const {
        long long row = (long long) t * B + b;
        return {states[(row + B) * H + j], dOutput != nullptr ? dOutput[row * H + j] : 0.0f};
    }

    __device__ float dh(const Carry&, float recurrent) const {
        return recurrent;
    }

    // The activation's gradient from its output h_{t+1}, as tanh_backward_f32 and relu_backward_f32.
    __device__ Outputs step(const Inputs& in, float dh, Carry&) const {
        if (dOutput != nullptr) dh = dh + in.dOut;
        return {{relu ? unroll_relu_grad(in.h, dh) : unroll_tanh_grad(in.h, dh)}};
    }

    __device__ void store(int t, int j, int b, const Outputs& out) const {
        dGates[((long long) t * B + b) * H + j] = out.push[0];
    }

    __device__ void finish(int j, int b, float dh, const Carry&) const {
        dHidden[b * H + j] = dh;
    }
};
