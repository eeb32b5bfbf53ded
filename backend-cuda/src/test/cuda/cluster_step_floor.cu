// The floor under a step of the cluster kernels (persistent_cluster.cuh): how long a cluster takes per step to do
// nothing but what every step must do. Not part of the build; on a GPU machine with nvcc:
//   nvcc -O3 -arch=sm_90 -o /tmp/floor backend-cuda/src/test/cuda/cluster_step_floor.cu && /tmp/floor
// Prints microseconds per step for: the cluster barrier alone (mode 0); plus pushing h of `pairs` (unit, batch row)
// pairs into every block's shared memory (mode 1); plus the two block barriers of a step (mode 2); at 8 and 16
// blocks per cluster (16 is beyond the portable size and needs the non-portable attribute).
#include <cooperative_groups.h>
#include <cstdio>

namespace cg = cooperative_groups;

constexpr int THREADS = 512;
constexpr int BUFFER = 2048;  // floats per h buffer (B = 16, H = 128)

template <int BLOCKS>
__device__ void steps(float* out, int n, int mode, int pairs) {
    extern __shared__ float buffers[];
    cg::cluster_group cluster = cg::this_cluster();
    for (int e = threadIdx.x; e < 2 * BUFFER; e += blockDim.x) buffers[e] = 0.0f;
    cluster.sync();
    float v = threadIdx.x;
    for (int t = 0; t < n; t++) {
        if (mode >= 2) __syncthreads();
        if (mode >= 1 && (int) threadIdx.x < pairs) {
            float* next = buffers + ((t + 1) & 1) * BUFFER + threadIdx.x;
#pragma unroll
            for (int r = 0; r < BLOCKS; r++) *cluster.map_shared_rank(next, r) = v;
        }
        if (mode >= 2) __syncthreads();
        cluster.sync();
        v += buffers[((t + 1) & 1) * BUFFER + threadIdx.x % BUFFER];
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = v;
}

extern "C" __global__ void __cluster_dims__(8, 1, 1) __launch_bounds__(THREADS)
steps8(float* out, int n, int mode, int pairs) {
    steps<8>(out, n, mode, pairs);
}

extern "C" __global__ void __cluster_dims__(16, 1, 1) __launch_bounds__(THREADS)
steps16(float* out, int n, int mode, int pairs) {
    steps<16>(out, n, mode, pairs);
}

template <typename K>
static void time(const char* name, K kernel, int blocks, float* out, int mode, int pairs) {
    const int n = 2000;
    size_t shared = 2 * BUFFER * sizeof(float);
    kernel<<<blocks, THREADS, shared>>>(out, 10, mode, pairs);
    cudaEvent_t a, b;
    cudaEventCreate(&a);
    cudaEventCreate(&b);
    cudaEventRecord(a);
    kernel<<<blocks, THREADS, shared>>>(out, n, mode, pairs);
    cudaEventRecord(b);
    cudaError_t err = cudaEventSynchronize(b);
    float ms = 0;
    cudaEventElapsedTime(&ms, a, b);
    std::printf("%s mode %d pairs %4d: %s %.3f us per step\n", name, mode, pairs,
                err == cudaSuccess ? "" : cudaGetErrorString(err), ms * 1000 / n);
}

int main() {
    float* out;
    cudaMalloc(&out, 16 * THREADS * sizeof(float));
    cudaError_t e = cudaFuncSetAttribute(steps16, cudaFuncAttributeNonPortableClusterSizeAllowed, 1);
    std::printf("non-portable cluster size: %s\n", cudaGetErrorString(e));
    for (int mode = 0; mode < 3; mode++) {
        for (int pairs : {32, 256}) {
            if (mode == 0 && pairs > 32) continue;
            time("8 blocks ", steps8, 8, out, mode, pairs);
            time("16 blocks", steps16, 16, out, mode, pairs / 2);
        }
    }
    std::printf("last error: %s\n", cudaGetErrorString(cudaGetLastError()));
    return 0;
}
