// nvcc-flags: -fmad=false
//
// Embedding lookups: gather rows of a table by index, and the backward scatter-add. Indices were checked
// on the host (0 <= index < table rows) before they were uploaded.
#include "scalar_math.cuh"

// out[r, :] = table[indices[r], :] for r < count; n = count * cols.
extern "C" __global__ void gather_rows_f32(const float* table, int cols, const int* indices, int n, float* out) {
    UNROLL_FOR_EACH(i, n) {
        int r = i / cols;
        int j = i - r * cols;
        out[i] = table[(long long) indices[r] * cols + j];
    }
}

// table[indices[r], :] += src[r, :]; repeated indices accumulate through atomicAdd, so with repeats the
// order of the float additions (and so the last ulp) may vary from run to run.
extern "C" __global__ void scatter_add_rows_f32(const float* src, int cols, const int* indices, int n,
                                                float* table) {
    UNROLL_FOR_EACH(i, n) {
        int r = i / cols;
        int j = i - r * cols;
        atomicAdd(&table[(long long) indices[r] * cols + j], src[i]);
    }
}
