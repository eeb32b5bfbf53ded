// nvcc-flags: -fmad=false
//
// Reductions: column sums, sum of squares and largest absolute value. Sums accumulate in double, as the
// Java backends do, so the result rounded to float does not depend on the summation order in practice.
// Two-pass where a scalar results: the first kernel leaves one partial per block, a one-block kernel
// folds the partials (no atomics, so the result is deterministic).
#include "scalar_math.cuh"

#define REDUCE_THREADS 256
#define COLUMN_TILE 32
#define COLUMN_LANES 8

// out[j] = beta * out[j] + sum_i m[i, j]; beta == 0 overwrites (stale NaNs in out do not survive).
// Block (32, 8): 32 neighbouring columns so loads coalesce, 8 lanes splitting the rows.
extern "C" __global__ void column_sums_f32(const float* m, int rows, int cols, double beta, float* out) {
    __shared__ double partial[COLUMN_LANES][COLUMN_TILE];
    int j = blockIdx.x * COLUMN_TILE + threadIdx.x;
    double sum = 0.0;
    if (j < cols) {
        for (int i = threadIdx.y; i < rows; i += COLUMN_LANES) {
            sum += m[(long long) i * cols + j];
        }
    }
    partial[threadIdx.y][threadIdx.x] = sum;
    __syncthreads();
    if (threadIdx.y == 0 && j < cols) {
        double total = 0.0;
        for (int lane = 0; lane < COLUMN_LANES; lane++) total += partial[lane][threadIdx.x];
        out[j] = (float) (beta == 0.0 ? total : beta * (double) out[j] + total);
    }
}

__device__ double block_sum(double v) {
    __shared__ double shared[REDUCE_THREADS];
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] += shared[threadIdx.x + s];
        __syncthreads();
    }
    return shared[0];
}

__device__ float block_max_nan(float v) {
    __shared__ float shared[REDUCE_THREADS];
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] = unroll_max_nan(shared[threadIdx.x], shared[threadIdx.x + s]);
        __syncthreads();
    }
    return shared[0];
}

// partials[blockIdx.x] = sum of x[i]^2 over this block's grid-stride share, in double.
extern "C" __global__ void sum_of_squares_partial_f32(const float* x, int n, double* partials) {
    double sum = 0.0;
    UNROLL_FOR_EACH(i, n) {
        double v = x[i];
        sum += v * v;
    }
    double total = block_sum(sum);
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// out[0] = sum of partials[0 .. count-1]; launched as one block.
extern "C" __global__ void sum_f64(const double* partials, int count, double* out) {
    double sum = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) sum += partials[i];
    double total = block_sum(sum);
    if (threadIdx.x == 0) out[0] = total;
}

// partials[blockIdx.x] = max |x[i]| over this block's share, NaN if any is NaN.
extern "C" __global__ void max_abs_partial_f32(const float* x, int n, float* partials) {
    float best = 0.0f;
    UNROLL_FOR_EACH(i, n) { best = unroll_max_nan(best, fabsf(x[i])); }
    float total = block_max_nan(best);
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// out[0] = max of partials[0 .. count-1], NaN-propagating; launched as one block.
extern "C" __global__ void max_f32(const float* partials, int count, float* out) {
    float best = 0.0f;
    for (int i = threadIdx.x; i < count; i += blockDim.x) best = unroll_max_nan(best, partials[i]);
    float total = block_max_nan(best);
    if (threadIdx.x == 0) out[0] = total;
}
