// Runs the module's CUDA kernels on the CPU, for tests on machines without a GPU.
//
// Each CUDA thread of a block is a std::thread; blocks run one after another, so a function-local static
// array is exactly one block's shared memory. __syncthreads is a barrier over the block, warp shuffles a
// barrier over the 32 threads of a warp. Slow, and blind to timing and memory-model questions, but it runs
// the kernels' real index arithmetic, tiling, reductions and guards, which is what the tests check here.
// Compile with -ffp-contract=off: nvcc's -fmad=false for the files that declare it, and the kernels that
// allow contraction (the SGEMMs) are checked against error bounds anyway.
#pragma once

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
    dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

namespace emu {
/**
 * One block's synchronization state and dynamic shared memory. The shared memory is the launch's size, rounded up
 * to whole doubles, and starts as NaN, as a GPU's holds whatever was there: a kernel that reads a value it never
 * wrote gets NaN into its results. Past the end lies a guard of NaN that the launch checks afterwards, so a kernel
 * that writes past what the host planned for it aborts the run (one that reads there gets NaN).
 */
struct Block {
    static constexpr size_t GUARD_DOUBLES = 64;

    explicit Block(int threads, size_t sharedBytes)
        : barrier(threads), exchange(((threads + 31) / 32) * 32, 0.0f), sharedDoubles((sharedBytes + 7) / 8),
          shared(sharedDoubles + GUARD_DOUBLES, std::numeric_limits<double>::quiet_NaN()) {
        for (int w = 0; w < (threads + 31) / 32; w++) {
            warps.push_back(std::make_unique<std::barrier<>>(std::min(32, threads - 32 * w)));
        }
    }

    /** Whether the guard past the launch's shared memory still holds the NaN it started with, bit for bit. */
    bool guardIntact() const {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return std::memcmp(shared.data() + sharedDoubles, std::vector<double>(GUARD_DOUBLES, nan).data(),
                           GUARD_DOUBLES * sizeof(double)) == 0;
    }

    std::barrier<> barrier;
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<float> exchange;  // 32 slots per warp, for shuffles
    size_t sharedDoubles;         // the launch's dynamic shared memory, in doubles
    std::vector<double> shared;   // dynamic shared memory (double-aligned), then the guard
};

inline thread_local dim3 threadIdx_;
inline thread_local dim3 blockIdx_;
inline thread_local Block* block_ = nullptr;
inline dim3 blockDim_;
inline dim3 gridDim_;
// The blocks of a cooperative launch and a barrier over all their threads: a cooperative launch is one cluster.
inline std::vector<Block*> cluster_;
inline std::unique_ptr<std::barrier<>> clusterBarrier_;

inline int linearThread() { return threadIdx_.x + threadIdx_.y * blockDim_.x; }

template <typename Kernel, typename... Args>
void runBlocks(bool concurrently, Kernel kernel, dim3 grid, dim3 block, size_t sharedBytes, Args... args) {
    gridDim_ = grid;
    blockDim_ = block;
    const int threads = block.x * block.y;
    std::vector<std::unique_ptr<Block>> blocks;
    std::vector<std::thread> pool;
    cluster_.clear();
    clusterBarrier_ = std::make_unique<std::barrier<>>(concurrently ? threads * grid.x * grid.y : threads);
    auto startBlock = [&](unsigned bx, unsigned by) {
        blocks.push_back(std::make_unique<Block>(threads, sharedBytes));
        Block* b = blocks.back().get();
        cluster_.push_back(b);
        for (int t = 0; t < threads; t++) {
            pool.emplace_back([=] {
                blockIdx_ = dim3(bx, by);
                threadIdx_ = dim3(t % block.x, t / block.x);
                block_ = b;
                kernel(args...);
            });
        }
    };
    for (unsigned by = 0; by < grid.y; by++) {
        for (unsigned bx = 0; bx < grid.x; bx++) {
            startBlock(bx, by);
            if (!concurrently) {
                // One block at a time: a function-local static array is then exactly one block's __shared__.
                for (auto& th : pool) th.join();
                pool.clear();
            }
        }
    }
    for (auto& th : pool) th.join();
    for (auto& b : blocks) {
        if (!b->guardIntact()) {
            std::fflush(stdout);
            std::fprintf(stderr, "FAIL a kernel wrote past the %zu bytes of dynamic shared memory it was launched with\n",
                         sharedBytes);
            std::abort();
        }
    }
}

/** A normal launch: blocks run one after another. */
template <typename Kernel, typename... Args>
void launch(Kernel kernel, dim3 grid, dim3 block, Args... args) {
    runBlocks(false, kernel, grid, block, 0, args...);
}

/**
 * A cooperative launch: every block runs at once, as cuLaunchCooperativeKernel guarantees, so grid-wide barriers
 * work. Such kernels must use only dynamic shared memory (UNROLL_DYNAMIC_SHARED), which is per block here. A
 * cluster kernel's launch (the grid is one cluster) runs the same way.
 */
template <typename Kernel, typename... Args>
void launchCooperative(Kernel kernel, dim3 grid, dim3 block, size_t sharedBytes, Args... args) {
    runBlocks(true, kernel, grid, block, sharedBytes, args...);
}
}  // namespace emu

#define UNROLL_DYNAMIC_SHARED(T, NAME) T* NAME = reinterpret_cast<T*>(emu::block_->shared.data())
#define threadIdx emu::threadIdx_
#define blockIdx emu::blockIdx_
#define blockDim emu::blockDim_
#define gridDim emu::gridDim_
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)
#define __cluster_dims__(...)
#define __align__(n) __attribute__((aligned(n)))

struct alignas(16) float4 {
    float x, y, z, w;
};

inline void __syncthreads() { emu::block_->barrier.arrive_and_wait(); }

inline float __shfl_down_sync(unsigned, float v, int offset) {
    int t = emu::linearThread();
    int warp = t / 32;
    int lane = t % 32;
    emu::block_->exchange[warp * 32 + lane] = v;
    emu::block_->warps[warp]->arrive_and_wait();
    float r = lane + offset < 32 ? emu::block_->exchange[warp * 32 + lane + offset] : v;
    emu::block_->warps[warp]->arrive_and_wait();
    return r;
}

inline float atomicAdd(float* address, float value) {
    return std::atomic_ref<float>(*address).fetch_add(value);
}

inline unsigned int atomicAdd(unsigned int* address, unsigned int value) {
    return std::atomic_ref<unsigned int>(*address).fetch_add(value);
}

inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }

inline void __nanosleep(unsigned) { std::this_thread::yield(); }

inline float __ldcg(const float* p) { return *reinterpret_cast<const volatile float*>(p); }

inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }

using std::max;
using std::min;

// The cluster API of cooperative_groups that the cluster kernels use: the launch's blocks are the cluster.
namespace cooperative_groups {
inline thread_local std::optional<std::barrier<>::arrival_token> clusterArrival_;

struct cluster_group {
    void sync() const { emu::clusterBarrier_->arrive_and_wait(); }
    static void barrier_arrive() { clusterArrival_ = emu::clusterBarrier_->arrive(); }
    static void barrier_wait() { emu::clusterBarrier_->wait(std::move(*clusterArrival_)); }

    // The same offset into the dynamic shared memory of block `rank`.
    template <typename T>
    T* map_shared_rank(T* address, unsigned rank) const {
        char* mine = reinterpret_cast<char*>(emu::block_->shared.data());
        char* theirs = reinterpret_cast<char*>(emu::cluster_[rank]->shared.data());
        return reinterpret_cast<T*>(theirs + (reinterpret_cast<char*>(address) - mine));
    }
};

inline cluster_group this_cluster() { return {}; }
}  // namespace cooperative_groups

inline float __int_as_float(int bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}
