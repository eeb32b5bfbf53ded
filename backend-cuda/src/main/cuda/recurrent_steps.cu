// nvcc-flags: -fmad=false
//
// The pointwise part of one LSTM or GRU step, forward and backward, one thread per (batch row, hidden
// unit). Each is the fused form of the composite in dev.unroll.api.CompositeSteps: the same operations in
// the same order with the same roundings (see scalar_math.cuh), so the two paths agree bit for bit up to
// the double-precision transcendental functions. Gate order is PyTorch's: i, f, g, o and r, z, n.
#include "scalar_math.cuh"

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
        float i = gates[g0];
        float f = gates[g0 + hidden];
        float g = gates[g0 + 2 * hidden];
        float o = gates[g0 + 3 * hidden];
        float tanhC = unroll_tanh(c[e]);
        float dhv = dh[e];
        // dL/dc_t in total: from the next step plus through h_t = o * tanh(c_t).
        float dcTotal = unroll_tanh_grad(tanhC, dhv * o) + dc[e];
        float dO = unroll_sigmoid_grad(o, dhv * tanhC);
        float dI = unroll_sigmoid_grad(i, dcTotal * g);
        float dF = unroll_sigmoid_grad(f, dcTotal * cPrev[e]);
        float dG = unroll_tanh_grad(g, dcTotal * i);
        dc[e] = dcTotal * f;
        dGates[g0] = dI;
        dGates[g0 + hidden] = dF;
        dGates[g0 + 2 * hidden] = dG;
        dGates[g0 + 3 * hidden] = dO;
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
        float r = gates[g0];
        float z = gates[g0 + hidden];
        float nv = gates[g0 + 2 * hidden];
        float hn = hProj[g0 + 2 * hidden];
        float dhv = dh[e];
        float dhz = dhv * z;
        float dN = unroll_tanh_grad(nv, dhv - dhz);
        float dZ = unroll_sigmoid_grad(z, dhv * (hPrev[e] - nv));
        float dR = unroll_sigmoid_grad(r, dN * hn);
        dInput[g0] = dR;
        dInput[g0 + hidden] = dZ;
        dInput[g0 + 2 * hidden] = dN;
        dHidden[g0] = dR;
        dHidden[g0 + hidden] = dZ;
        dHidden[g0 + 2 * hidden] = dN * r;
        dh[e] = dhz;
    }
}
