// The pointwise half of the persistent recurrence kernels, shared by the grid kernels (persistent_{lstm,gru,rnn}.cu
// with persistent.cuh) and the cluster kernels (persistent_cluster.cu with persistent_cluster.cuh). Both split the
// hidden units over blocks and differ only in how a block gets the previous state h_prev and meets the others
// between steps; that is the Slice's part:
//   recurrentProducts(step, n)  the recurrent pre-activations of a ForwardStep for this block's units and batch
//                            rows [0, n) (the rows that run the step), then __syncthreads
//   recurrent(g, u, b)       the pre-activation of gate g, local unit u, batch row b
//   previous(b, j)           h_prev of batch row b, hidden unit j
//   publish(s, b, j, h)      hand the step's h of (b, j) to the other blocks (beyond writing it to hidden)
//   endStep(s)               wait until every block has published the step (run_persistent, the grid kernels'
//                            loop; the cluster kernels run their own, run_cluster, around the same cells)
// and firstUnit, units: the block's hidden units [firstUnit, firstUnit + units). A cell's step comes in three
// parts, so a scheme can move its memory traffic off the critical path: load (the step's inputs from global
// memory), step (the arithmetic, from the inputs and the slice), store (the outputs to global memory); a batch row
// that does not run the step (see below) takes carry (its state kept, from the slice) in place of load and step.
//
// Direction (TimeOrder below). Every kernel takes `reverse`: 0 runs the recurrence forward in time, t = 0 .. T-1,
// 1 backward in time, t = T-1 .. 0 (the reverse half of a bidirectional layer). Buffers are time-major, time step
// t being row block t (rows [t*B, t*B + B)); the per-step buffers (xProj, gates, hProj, dOutput, dGates, ...) are
// indexed by t in both directions. A state sequence (the SPI's h and c buffers, T+1 blocks of B rows) holds the
// initial state in block 0 forward, block T reversed; time step t reads state block t + reverse and writes state
// block t + 1 - reverse. The forward kernels take the initial state as h0 (c0), and their outputs hidden (cells)
// start at the state block that time step 0 writes, block 1 forward and block 0 reversed: row block t of hidden is
// then h_t in both directions, and the state that step t reads is row block t-1 (forward) or t+1 (reversed) of
// hidden, or h0 at the first step processed. The backward kernels (BPTT) take the whole state sequences and run
// the steps in the opposite order of their forward.
//
// Variable-length batches (TimeOrder::runs below). Every kernel takes `active` after `reverse`: null, or T counts
// indexed by time step t (not by processing order), active[t] in [0, B]: the batch is sorted longest first, and at
// time step t only batch rows b < active[t] run; any sequence of counts is allowed. Null runs every row every step,
// with the same operations and memory accesses as without the argument. A row that does not run at step t:
//   forward   keeps its state: h_t = h_prev (c_t = c_prev), written to hidden (cells) at row block t as a step's h,
//             and the h that the next step multiplies; its gates are not written (the kernels run in place, gates
//             == xProj, so they keep their inputs); GRU: its hProj is b_hh, as the loop that fills hProj with b_hh
//             before the steps leaves it
//   backward  takes nothing from the step: dOutput_t is not added, its dGates (GRU: dHProj) are not written, it
//             pushes zeros through W_hh, and dL/dh (LSTM: dL/dc too) of the state the step wrote passes to the
//             state it read unchanged (GRU: no z * dh)
// Rows that run take exactly the step they take without `active`.
//
// Each cell's step has the semantics and rounding of its per-step kernel in recurrent_steps.cu (same functions,
// same operation order); only the dot products add in another order than the SGEMM.
#pragma once

#include "recurrent_steps.cuh"

// A step of a forward recurrence, as the kernels process it: s steps done before it (the cluster's double buffers
// are indexed by s) and time step t. Unless s == 0 (the first step reads the initial state, h0 and c0), the state it
// reads is row block t + previous of the state outputs (hidden, cells): previous is -1 forward, +1 reversed.
struct ForwardStep {
    int s, t, previous;
};

// A step of a backward recurrence (BPTT): s steps done before it and time step t; the forward's time step t read
// block t + read (c_prev, h_prev) and wrote block t + written (c, h) of the state sequences [(T+1)*B, H]: read is
// 0 and written 1 forward, the other way round reversed.
struct BackwardStep {
    int s, t, read, written;
};

// The direction of a recurrence of T steps (see the top of this file): which time step is processed s-th, and
// where its states are; the one place that knows the direction. The direction is a template argument, so each
// direction compiles on its own with its offsets constants (in_direction below makes it from the kernels'
// argument): the forward direction's code stays what it was without one, and neither pays registers for the
// other (the cluster kernels have few to spare).
template <int REVERSE>
struct TimeOrder {
    static_assert(REVERSE == 0 || REVERSE == 1, "a direction is 0 or 1");
    int steps;
    const int* active;  // the kernels' argument: rows that run per time step, or null for all

    __device__ ForwardStep forward(int s) const {
        return {s, REVERSE ? steps - 1 - s : s, REVERSE ? 1 : -1};
    }

    // The forward's steps in the opposite order: s = 0 is the time step the forward processed last.
    __device__ BackwardStep backward(int s) const {
        return {s, REVERSE ? s : steps - 1 - s, REVERSE, 1 - REVERSE};
    }

    // Whether batch row b runs at time step t (the top of this file); the one place that decides it. Without
    // active, always, and nothing is read.
    __device__ bool runs(int t, int b) const {
        return active == nullptr || b < active[t];
    }

    // How many of the B batch rows run time step t: the rows runs() takes are [0, running), so the recurrent
    // products of the others, which nothing reads, can be left out.
    __device__ int running(int t, int B) const {
        return active == nullptr ? B : max(0, min(B, active[t]));
    }
};

// run(TimeOrder<reverse>{steps, active}), reverse the kernels' argument: 0 or 1 (anything else is taken as 1).
template <class Run>
__device__ void in_direction(int steps, int reverse, const int* active, const Run& run) {
    if (reverse) {
        run(TimeOrder<1>{steps, active});
    } else {
        run(TimeOrder<0>{steps, active});
    }
}

// LSTM. xProj [T*B, 4H]: W_ih x_t + b_ih + b_hh per step (gate order i, f, g, o); c0 [B, H]: the initial cell state;
// gates [T*B, 4H] out: the activations; cells, hidden [T*B, H] out: c_t and h_t (row block t: time step t's, in
// either direction).
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

    // c_prev, which the same thread stored at the previous step (or c0).
    __device__ float cPrev(const ForwardStep& step, int j, int b) const {
        long long row = (long long) step.t * B + b;
        return step.s == 0 ? c0[b * H + j] : cells[(row + step.previous * B) * H + j];
    }

    // The step's input projections and c_prev.
    __device__ Inputs load(const ForwardStep& step, int j, int b) const {
        const float* x = xProj + ((long long) step.t * B + b) * 4 * H;
        return {{x[j], x[H + j], x[2 * H + j], x[3 * H + j]}, cPrev(step, j, b)};
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

    // A row that does not run the step keeps its state: c_t = c_prev, h_t = h_prev (no gates).
    template <class Slice>
    __device__ Outputs carry(const Slice& slice, const ForwardStep& step, int u, int b) const {
        int j = slice.firstUnit + u;
        return {{}, cPrev(step, j, b), slice.previous(b, j)};
    }

    // ran: whether the row ran the step (else it carried its state, and its gates are left alone).
    __device__ void store(int t, int j, int b, const Outputs& out, bool ran) const {
        long long row = (long long) t * B + b;
        if (ran) {
            float* gOut = gates + row * 4 * H;
            for (int g = 0; g < 4; g++) gOut[g * H + j] = out.act[g];
        }
        cells[row * H + j] = out.c;
        hidden[row * H + j] = out.h;
    }
};

// GRU. xProj [T*B, 3H]: W_ih x_t + b_ih per step (gate order r, z, n); bHh [3H];
// gates [T*B, 3H] out: r, z, n; hProj [T*B, 3H] out: W_hh h_prev + b_hh (backward needs its n part);
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

    __device__ Inputs load(const ForwardStep& step, int j, int b) const {
        const float* x = xProj + ((long long) step.t * B + b) * 3 * H;
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

    // A row that does not run the step keeps its state, h_t = h_prev (no gates); its hProj is what the loop leaves
    // there: b_hh added to the zeros the buffer starts from (0 + b_hh: a -0 bias becomes +0, as there).
    template <class Slice>
    __device__ Outputs carry(const Slice& slice, const ForwardStep&, int u, int b) const {
        int j = slice.firstUnit + u;
        return {{}, {0.0f + bHh[j], 0.0f + bHh[H + j], 0.0f + bHh[2 * H + j]}, slice.previous(b, j)};
    }

    // ran: whether the row ran the step (else it carried its state, and its gates are left alone).
    __device__ void store(int t, int j, int b, const Outputs& out, bool ran) const {
        long long row = (long long) t * B + b;
        for (int g = 0; g < 3; g++) {
            if (ran) gates[row * 3 * H + g * H + j] = out.act[g];
            hProj[row * 3 * H + g * H + j] = out.proj[g];
        }
        hidden[row * H + j] = out.h;
    }
};

// Vanilla RNN. xProj [T*B, H]: W_ih x_t + b_ih + b_hh per step; hidden [T*B, H] out: h_t = f(xProj_t + h_prev
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

    __device__ Inputs load(const ForwardStep& step, int j, int b) const {
        return {xProj[((long long) step.t * B + b) * H + j]};
    }

    template <class Slice>
    __device__ Outputs step(const Slice& slice, int u, int b, const Inputs& in) const {
        float pre = in.x + slice.recurrent(0, u, b);
        return {relu ? unroll_relu(pre) : unroll_tanh(pre)};
    }

    // A row that does not run the step keeps its state: h_t = h_prev.
    template <class Slice>
    __device__ Outputs carry(const Slice& slice, const ForwardStep&, int u, int b) const {
        return {slice.previous(b, slice.firstUnit + u)};
    }

    // The RNN has no gates to leave alone: a row writes h_t whether it ran the step or not.
    __device__ void store(int t, int j, int b, const Outputs& out, bool) const {
        hidden[((long long) t * B + b) * H + j] = out.h;
    }
};

// All T steps of a cell on one block's slice: the recurrent products, the pointwise step of each (unit, batch row)
// the block owns (or its carried state, for a row that does not run the step), the exchange of h_t. Every thread
// of every block runs every iteration (the barriers need them).
// Neighbouring threads take neighbouring units of one batch row, so their loads and stores of a row's gates,
// cells and h fall into the same memory segments (with the batch row fastest, every lane hit its own segment and
// the memory accesses of a step cost more than its arithmetic).
template <class Cell, class Slice, class Order>
__device__ void run_persistent(const Cell& cell, Slice& slice, const Order& order) {
    for (int s = 0; s < order.steps; s++) {
        const ForwardStep step = order.forward(s);
        slice.recurrentProducts(step, order.running(step.t, cell.B));
        for (int e = threadIdx.x; e < slice.units * cell.B; e += blockDim.x) {
            int b = e / slice.units;
            int u = e - b * slice.units;
            int j = slice.firstUnit + u;
            const bool runs = order.runs(step.t, b);
            typename Cell::Outputs out = runs ? cell.step(slice, u, b, cell.load(step, j, b))
                                              : cell.carry(slice, step, u, b);
            cell.store(step.t, j, b, out, runs);
            slice.publish(s, b, j, out.h);
        }
        slice.endStep(s);
    }
}

// ---------------------------------------------------------------- backward (BPTT), for run_cluster_backward

// The three cells' backward steps, time-major [T*B, ...] buffers as the forwards leave them. Each step has the
// semantics of the SPI's per-step loop (Backend.{lstm,gru,rnn}SequenceBackward's default): dh is dL/d(final state)
// at the first step processed (the forward's last), else the product of the previously processed step's gradients
// with W_hh; dOutput_t, where given (not null), is added to it; then the per-step kernels' arithmetic
// (recurrent_steps.cuh, elementwise.cu's activation gradients). The state sequences (cells, states) are whole, T+1
// blocks, and a BackwardStep names the blocks the forward's step read and wrote (the top of this file): below,
// "c_prev" and "c_t" (h_prev, h_t) are those, and "the final state" is block T forward, block 0 reversed. A row that
// does not run a step (TimeOrder::runs) skips the cell altogether (run_cluster_backward): its dh passes on as it
// came, and its Carry stays as it was.

// LSTM. gates [T*B, 4H] the activations; cells [(T+1)*B, H] (the initial c in block 0, reversed block T); dOutput
// [T*B, H] or null; dGates [T*B, 4H] out; dHidden, dCell [B, H] in: dL/dh, dL/dc of the final state, out: of the
// initial state.
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
        float dh, dc;  // dL/dh that reaches a step past no product (run_cluster_backward); dL/dc_t, carried along
                       // the steps in a register
    };
    struct Inputs {
        float act[4], cPrev, c, dOut;
    };
    struct Outputs {
        float push[4];  // dGates_t of (b, j): stored, and multiplied with W_hh for dL/dh_prev
    };

    __device__ Carry begin(int j, int b) const {
        return {dHidden[b * H + j], dCell[b * H + j]};
    }

    __device__ Inputs load(const BackwardStep& step, int j, int b) const {
        long long row = (long long) step.t * B + b;
        const float* g = gates + row * 4 * H + j;
        return {{g[0], g[H], g[2 * H], g[3 * H]}, cells[(row + step.read * B) * H + j],
                cells[(row + step.written * B) * H + j], dOutput != nullptr ? dOutput[row * H + j] : 0.0f};
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

// GRU. gates [T*B, 3H] the activations r, z, n; hProj [T*B, 3H] W_hh h_prev + b_hh of each step; states
// [(T+1)*B, H] (the initial h in block 0, reversed block T); dOutput [T*B, H] or null; dGates, dHProj [T*B, 3H]
// out: dL/d(W_ih x_t + b_ih) and dL/d(W_hh h_prev + b_hh); dHidden [B, H] in: dL/dh of the final state, out: of the
// initial state. dHProj is what multiplies W_hh.
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
        float dh, dhz;  // dL/dh that reaches a step past no product (run_cluster_backward); z * dh of the step
                        // processed before, which reaches its h_prev past W_hh
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

    __device__ Inputs load(const BackwardStep& step, int j, int b) const {
        long long row = (long long) step.t * B + b;
        const float* g = gates + row * 3 * H + j;
        return {{g[0], g[H], g[2 * H]}, hProj[row * 3 * H + 2 * H + j], states[(row + step.read * B) * H + j],
                dOutput != nullptr ? dOutput[row * H + j] : 0.0f};
    }

    // As the per-step loop: dh = dhz, then dh += dHProj W_hh of the step processed before (the product rounded to
    // float first).
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

// Vanilla RNN. states [(T+1)*B, H] (the initial h in block 0, reversed block T); dOutput [T*B, H] or null; dGates
// [T*B, H] out: dL/d(pre-activation); dHidden [B, H] in: dL/dh of the final state, out: of the initial state; relu:
// 0 for tanh, 1 for relu.
struct RnnBackwardCell {
    static constexpr int GATES = 1;
    const float* states;
    const float* dOutput;
    float* dGates;
    float* dHidden;
    int H, B, relu;

    struct Carry {
        float dh;  // dL/dh that reaches a step past no product (run_cluster_backward)
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

    __device__ Inputs load(const BackwardStep& step, int j, int b) const {
        long long row = (long long) step.t * B + b;
        return {states[(row + step.written * B) * H + j], dOutput != nullptr ? dOutput[row * H + j] : 0.0f};
    }

    __device__ float dh(const Carry&, float recurrent) const {
        return recurrent;
    }

    // The activation's gradient from its output h_t (the state the step wrote), as tanh_backward_f32 and
    // relu_backward_f32.
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
