// nvcc-flags: -fmad=false
//
// The pointwise part of one LSTM or GRU step, forward and backward, one thread per (batch row, hidden
// unit). Each is the fused form of the composite in dev.unroll.api.CompositeSteps: the same operations in
// the same order with the same roundings (see scalar_math.cuh), so the two paths agree bit for bit up to
// the double-precision transcendental functions. Gate order is PyTorch's: i, f, g, o and r, z, n.
#include "recurrent_steps.cuh"

// gates [B, 4H] in: pre-activations, out: activations; cPrev, c, h [B, H]; n = B * H.
extern "C" __global__ void lstm_step_forward_f32(float* gates, const float* cPrev, float* c, float* h, int n,
                                                 int hidden) {
    UNROLL_FOR_EACH(e, n) {
        int b = e / hidden;
        int j = e - b * hidden;
        float* g4 = gates + (long long) b * 4 * hidden + j;
        float i = unroll_sigmoid(g4[0]);
        float f = unroll_sigmoid(g4[hidden]);
        float g = unroll_tanh(g4[2 * hidden]);
        float o = unroll_sigmoid(g4[3 * hidden]);
        float ig = i * g;
        float cv = f * cPrev[e];
        cv = cv + ig;
        g4[0] = i;
        g4[hidden] = f;
        g4[2 * hidden] = g;
        g4[3 * hidden] = o;
        c[e] = cv;
        h[e] = o * unroll_tanh(cv);
    }
}

// gates [B, 4H] activations; cPrev, c, dh [B, H]; dc [B, H] in: from the next step, out: dL/dc_{t-1};
// dGates [B, 4H] out.
extern "C" __global__ void lstm_step_backward_f32(const float* gates, const float* cPrev, const float* c,
                                                  const float* dh, float* dc, float* dGates, int n, int hidden) {
    UNROLL_FOR_EACH(e, n) {
        int b = e / hidden;
        int j = e - b * hidden;
        long long g0 = (long long) b * 4 * hidden + j;
        LstmStepGradients d = unroll_lstm_step_backward(gates[g0], gates[g0 + hidden], gates[g0 + 2 * hidden],
                                                        gates[g0 + 3 * hidden], cPrev[e], c[e], dh[e], dc[e]);
        dc[e] = d.dcPrev;
        for (int g = 0; g < 4; g++) dGates[g0 + g * hidden] = d.dGates[g];
    }
}

// gates [B, 3H] in: W_ih x + b_ih, out: r, z, n; hProj [B, 3H] W_hh hPrev + b_hh, unchanged;
// hPrev, h [B, H].
extern "C" __global__ void gru_step_forward_f32(float* gates, const float* hProj, const float* hPrev, float* h,
                                                int n, int hidden) {
    UNROLL_FOR_EACH(e, n) {
        int b = e / hidden;
        int j = e - b * hidden;
        long long g0 = (long long) b * 3 * hidden + j;
        float r = unroll_sigmoid(gates[g0] + hProj[g0]);
        float z = unroll_sigmoid(gates[g0 + hidden] + hProj[g0 + hidden]);
        float rh = r * hProj[g0 + 2 * hidden];
        float nv = unroll_tanh(gates[g0 + 2 * hidden] + rh);
        // h = (1 - z) * n + z * hPrev, computed as n + z * (hPrev - n) like the composite.
        float diff = hPrev[e] - nv;
        diff = z * diff;
        gates[g0] = r;
        gates[g0 + hidden] = z;
        gates[g0 + 2 * hidden] = nv;
        h[e] = nv + diff;
    }
}

// gates [B, 3H] activations r, z, n; hProj [B, 3H]; hPrev [B, H]; dh [B, H] in: dL/dh_t, out: z * dL/dh_t;
// dInput, dHidden [B, 3H] out.
extern "C" __global__ void gru_step_backward_f32(const float* gates, const float* hProj, const float* hPrev,
                                                 float* dh, float* dInput, float* dHidden, int n, int hidden) {
    UNROLL_FOR_EACH(e, n) {
        int b = e / hidden;
        int j = e - b * hidden;
        long long g0 = (long long) b * 3 * hidden + j;
        GruStepGradients d = unroll_gru_step_backward(gates[g0], gates[g0 + hidden], gates[g0 + 2 * hidden],
                                                      hProj[g0 + 2 * hidden], hPrev[e], dh[e]);
        for (int g = 0; g < 3; g++) {
            dInput[g0 + g * hidden] = d.dInput[g];
            dHidden[g0 + g * hidden] = d.dHidden[g];
        }
        dh[e] = d.dhz;
    }
}
