// Single-precision activations for the persistent kernels (persistent_cells.cuh).
//
// Everywhere else the kernels compute sigmoid and tanh in double and round once (scalar_math.cuh), so a fused
// kernel equals the composite path bit for bit. The persistent kernels cannot: their dot products add in another
// order than the SGEMM, so they agree with the per-step path to the cell tolerance only. And there the double
// functions sit on every step's critical path: Nsight Compute on the cluster kernels shows the pointwise step of
// one warp (about 90 dependent double instructions for a tanh, 70 for a sigmoid) as the longest part of a step.
// These take about 20 float instructions each and stay within 2 ulp of the correctly rounded result
// (KernelEmulationTest sweeps them against double). Plain float arithmetic with explicit fused multiply-adds, so
// the GPU and the CPU emulation of the tests compute the same bits.
//
// The polynomials are the classic minimax fits of the Cephes library (expf on |r| <= ln2/2, tanhf below 0.625).
#pragma once

// e^x; +inf above 88.72, 0 below -103.97, subnormal results in between; NaN passes through.
__device__ __forceinline__ float unroll_expf(float x) {
    if (x != x) return x;
    if (x > 88.72283935546875f) return __int_as_float(0x7f800000);
    if (x < -103.972084045410156f) return 0.0f;
    // x = n ln2 + r, |r| <= ln2 / 2, with ln2 in two parts so that n times the first is exact
    float n = rintf(x * 1.44269504088896341f);
    float r = __fmaf_rn(n, -0.693359375f, x);
    r = __fmaf_rn(n, 2.12194440e-4f, r);
    float p = 1.9875691500e-4f;
    p = __fmaf_rn(p, r, 1.3981999507e-3f);
    p = __fmaf_rn(p, r, 8.3334519073e-3f);
    p = __fmaf_rn(p, r, 4.1665795894e-2f);
    p = __fmaf_rn(p, r, 1.6666665459e-1f);
    p = __fmaf_rn(p, r, 5.0000001201e-1f);
    float e = __fmaf_rn(p, r * r, r) + 1.0f;
    // times 2^n as two powers of two, each a normal float for every n in range
    int k = (int) n;
    int half = k / 2;
    return e * __int_as_float((half + 127) << 23) * __int_as_float((k - half + 127) << 23);
}

// 1 / (1 + e^-x); below -80, e^x itself (the two differ by less than e^x squared).
__device__ __forceinline__ float unroll_sigmoidf(float x) {
    if (x < -80.0f) return unroll_expf(x);
    return 1.0f / (1.0f + unroll_expf(-x));
}

// tanh x: a polynomial below |x| = 0.625, else 1 - 2 / (e^2|x| + 1) with the sign of x; +-0 and NaN pass through.
__device__ __forceinline__ float unroll_tanhf(float x) {
    float a = fabsf(x);
    if (a == 0.0f) return x;
    if (a < 0.625f) {
        float z = x * x;
        float p = -5.70498872745e-3f;
        p = __fmaf_rn(p, z, 2.06390887954e-2f);
        p = __fmaf_rn(p, z, -5.37397155531e-2f);
        p = __fmaf_rn(p, z, 1.33314422036e-1f);
        p = __fmaf_rn(p, z, -3.33332819422e-1f);
        return __fmaf_rn(p * z, x, x);
    }
    if (a > 9.1f) return x < 0.0f ? -1.0f : 1.0f;
    float r = 1.0f - 2.0f / (unroll_expf(2.0f * a) + 1.0f);
    return x < 0.0f ? -r : r;
}
