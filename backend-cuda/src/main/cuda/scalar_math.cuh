// Scalar functions shared by the element-wise, step and loss kernels.
//
// They reproduce the reference arithmetic of the Java backends (see CompositeSteps and the EJML backend):
// one float rounding per written operation, and transcendental functions computed in double and rounded
// once, so a fused kernel agrees with the composite path to the last ulp. Every file that includes this
// header is compiled with -fmad=false (its "nvcc-flags" line) so the compiler cannot contract a*b+c into
// one fused multiply-add, which would round differently from the composite path.
#pragma once

__device__ __forceinline__ float unroll_sigmoid(float x) {
    return (float) (1.0 / (1.0 + exp(-(double) x)));
}

__device__ __forceinline__ float unroll_tanh(float x) {
    return (float) tanh((double) x);
}

// NaN stays NaN, as torch.relu does: NaN <= 0 is false.
__device__ __forceinline__ float unroll_relu(float x) {
    return x <= 0.0f ? 0.0f : x;
}

// dy * sigmoid'(x) from the output y, in ATen's order dy * (1 - y) * y.
__device__ __forceinline__ float unroll_sigmoid_grad(float y, float dy) {
    return dy * (1.0f - y) * y;
}

// dy * tanh'(x) from the output y, in ATen's order dy * (1 - y * y).
__device__ __forceinline__ float unroll_tanh_grad(float y, float dy) {
    return dy * (1.0f - y * y);
}

// dy * relu'(x) from the output y: the gradient passes where the unit was active.
__device__ __forceinline__ float unroll_relu_grad(float y, float dy) {
    return y > 0.0f ? dy : 0.0f;
}

// Java's Math.max: NaN if either argument is NaN (fmaxf would drop the NaN).
__device__ __forceinline__ float unroll_max_nan(float a, float b) {
    return (a != a || b != b) ? __int_as_float(0x7fc00000) : fmaxf(a, b);
}

// The dynamic shared memory of a launch, as an array of T named NAME. (A macro so the CPU emulation of the
// tests can give each concurrently running block its own buffer.)
#ifndef UNROLL_DYNAMIC_SHARED
#define UNROLL_DYNAMIC_SHARED(T, NAME) extern __shared__ T NAME[]
#endif

// A grid-stride loop over n elements: correct for any grid size, so the host may cap the grid.
#define UNROLL_FOR_EACH(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)
