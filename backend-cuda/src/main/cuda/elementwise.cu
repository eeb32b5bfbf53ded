// nvcc-flags: -fmad=false
//
// Element-wise, activation and broadcast kernels on contiguous float32 buffers. Every tensor of the
// backend is contiguous (row views and reshapes are a pointer plus a byte offset), so these take flat
// pointers and an element count. Outputs may alias inputs: each element is read and written by one thread.
#include "scalar_math.cuh"

extern "C" __global__ void add_f32(const float* a, const float* b, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = a[i] + b[i]; }
}

extern "C" __global__ void sub_f32(const float* a, const float* b, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = a[i] - b[i]; }
}

extern "C" __global__ void mul_f32(const float* a, const float* b, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = a[i] * b[i]; }
}

extern "C" __global__ void div_f32(const float* a, const float* b, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = a[i] / b[i]; }
}

extern "C" __global__ void scale_f32(float alpha, const float* x, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = alpha * x[i]; }
}

extern "C" __global__ void add_scalar_f32(const float* x, float value, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = x[i] + value; }
}

extern "C" __global__ void axpy_f32(float alpha, const float* x, float* y, int n) {
    UNROLL_FOR_EACH(i, n) { y[i] = y[i] + alpha * x[i]; }
}

// sqrtf is correctly rounded without -use_fast_math (nvcc's default -prec-sqrt=true).
extern "C" __global__ void sqrt_f32(const float* x, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = sqrtf(x[i]); }
}

// fminf/fmaxf return the other argument for a NaN; the SPI says NaN stays NaN.
extern "C" __global__ void clamp_f32(const float* x, float lo, float hi, float* out, int n) {
    UNROLL_FOR_EACH(i, n) {
        float v = x[i];
        out[i] = v != v ? v : fminf(fmaxf(v, lo), hi);
    }
}

extern "C" __global__ void tanh_f32(const float* x, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = unroll_tanh(x[i]); }
}

extern "C" __global__ void sigmoid_f32(const float* x, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = unroll_sigmoid(x[i]); }
}

extern "C" __global__ void relu_f32(const float* x, float* out, int n) {
    UNROLL_FOR_EACH(i, n) { out[i] = unroll_relu(x[i]); }
}

extern "C" __global__ void tanh_backward_f32(const float* y, const float* dy, float* dx, int n) {
    UNROLL_FOR_EACH(i, n) { dx[i] = unroll_tanh_grad(y[i], dy[i]); }
}

extern "C" __global__ void sigmoid_backward_f32(const float* y, const float* dy, float* dx, int n) {
    UNROLL_FOR_EACH(i, n) { dx[i] = unroll_sigmoid_grad(y[i], dy[i]); }
}

extern "C" __global__ void relu_backward_f32(const float* y, const float* dy, float* dx, int n) {
    UNROLL_FOR_EACH(i, n) { dx[i] = unroll_relu_grad(y[i], dy[i]); }
}

// out[i, j] = m[i, j] + row[j] for a [rows, cols] matrix; n = rows * cols.
extern "C" __global__ void add_row_vector_f32(const float* m, const float* row, float* out, int n, int cols) {
    UNROLL_FOR_EACH(i, n) { out[i] = m[i] + row[i % cols]; }
}

// out[i, j] = m[i, j] * column[i] for a [rows, cols] matrix; n = rows * cols.
extern "C" __global__ void mul_column_vector_f32(const float* m, const float* column, float* out, int n,
                                                 int cols) {
    UNROLL_FOR_EACH(i, n) { out[i] = m[i] * column[i / cols]; }
}

// dst[r, dstCol + j] = src[r, srcCol + j] for r < rows, j < count. The host stages src through scratch
// memory when the two regions overlap, so no thread reads what another writes.
extern "C" __global__ void copy_columns_f32(const float* src, int srcCols, int srcCol, float* dst, int dstCols,
                                            int dstCol, int rows, int count) {
    int n = rows * count;
    UNROLL_FOR_EACH(i, n) {
        int r = i / count;
        int j = i - r * count;
        dst[r * dstCols + dstCol + j] = src[r * srcCols + srcCol + j];
    }
}
