// The pointwise backward of one LSTM or GRU step for one (batch row, hidden unit), shared by the per-step
// kernels (recurrent_steps.cu) and the persistent backward (persistent_cells.cuh), so the two cannot drift apart.
// The fused form of the composite in dev.unroll.api.CompositeSteps: the same operations in the same order with
// the same roundings (scalar_math.cuh; every includer compiles with -fmad=false). Gate order is PyTorch's.
#pragma once

#include "scalar_math.cuh"

struct LstmStepGradients {
    float dGates[4];  // dL/d(pre-activation) of i, f, g, o
    float dcPrev;     // dL/dc_{t-1}
};

// i, f, g, o: the step's activations; cPrev, c: c_{t-1} and c_t; dh: dL/dh_t; dc: dL/dc_t from the next step.
__device__ __forceinline__ LstmStepGradients unroll_lstm_step_backward(float i, float f, float g, float o,
                                                                       float cPrev, float c, float dh, float dc) {
    float tanhC = unroll_tanh(c);
    // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
    float dcTotal = unroll_tanh_grad(tanhC, dh * o) + dc;
    float dO = unroll_sigmoid_grad(o, dh * tanhC);
    float dI = unroll_sigmoid_grad(i, dcTotal * g);
    float dF = unroll_sigmoid_grad(f, dcTotal * cPrev);
    float dG = unroll_tanh_grad(g, dcTotal * i);
    return {{dI, dF, dG, dO}, dcTotal * f};
}

struct GruStepGradients {
    float dInput[3];   // dL/d(W_ih x + b_ih) of r, z, n
    float dHidden[3];  // dL/d(W_hh hPrev + b_hh) of r, z, n
    float dhz;         // z * dL/dh_t: the part of dL/dh_{t-1} that bypasses W_hh
};

// r, z, n: the step's activations; hn: the n part of W_hh hPrev + b_hh; hPrev: h_{t-1}; dh: dL/dh_t.
__device__ __forceinline__ GruStepGradients unroll_gru_step_backward(float r, float z, float n, float hn,
                                                                     float hPrev, float dh) {
    float dhz = dh * z;
    float dN = unroll_tanh_grad(n, dh - dhz);
    float dZ = unroll_sigmoid_grad(z, dh * (hPrev - n));
    float dR = unroll_sigmoid_grad(r, dN * hn);
    return {{dR, dZ, dN}, {dR, dZ, dN * r}, dhz};
}
