// nvcc-flags: -fmad=false
//
// Row-wise softmax cross-entropy and its gradient. Like the Java backends: the row max is subtracted
// first (exp cannot overflow; a NaN logit poisons its row), exponentials and their sum are in double,
// each probability is rounded once, and the loss is log(sum) - (x_t - max), not -log of a rounded p_t.
#include "scalar_math.cuh"

#define SOFTMAX_THREADS 256

// One block of SOFTMAX_THREADS per row. rowLoss[row] is that row's loss in double (0 for a negative,
// padded target); the host folds rowLoss with sum_f64.
extern "C" __global__ void softmax_cross_entropy_f32(const float* logits, int cols, const int* targets,
                                                     float* probabilities, double* rowLoss) {
    __shared__ float maxShared[SOFTMAX_THREADS];
    __shared__ double sumShared[SOFTMAX_THREADS];
    const int row = blockIdx.x;
    const float* x = logits + (long long) row * cols;
    float* p = probabilities + (long long) row * cols;

    float best = x[0];
    for (int j = threadIdx.x; j < cols; j += blockDim.x) best = unroll_max_nan(best, x[j]);
    maxShared[threadIdx.x] = best;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) maxShared[threadIdx.x] = unroll_max_nan(maxShared[threadIdx.x], maxShared[threadIdx.x + s]);
        __syncthreads();
    }
    const float max = maxShared[0];

    double sum = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) sum += exp((double) x[j] - max);
    sumShared[threadIdx.x] = sum;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sumShared[threadIdx.x] += sumShared[threadIdx.x + s];
        __syncthreads();
    }
    const double total = sumShared[0];

    // exp is recomputed rather than stored: a row can be wider than shared memory, and exp of the same
    // double argument gives the same double.
    for (int j = threadIdx.x; j < cols; j += blockDim.x) p[j] = (float) (exp((double) x[j] - max) / total);
    if (threadIdx.x == 0) {
        int t = targets[row];
        rowLoss[row] = t < 0 ? 0.0 : log(total) - ((double) x[t] - max);
    }
}

// dLogits[i, j] = scale * (p[i, j] - (j == targets[i])), and 0 where targets[i] < 0; n = rows * cols.
extern "C" __global__ void softmax_cross_entropy_backward_f32(const float* probabilities, int cols,
                                                              const int* targets, float scale, int n,
                                                              float* dLogits) {
    UNROLL_FOR_EACH(i, n) {
        int row = i / cols;
        int j = i - row * cols;
        int t = targets[row];
        if (t < 0) {
            dLogits[i] = 0.0f;
        } else {
            float target = j == t ? 1.0f : 0.0f;
            dLogits[i] = scale * (probabilities[i] - target);
        }
    }
}
