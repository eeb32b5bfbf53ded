// Runs every kernel of src/main/cuda on the CPU (see cuda_emulation.h) against plain references, with the launch
// shapes LaunchConfig computes. Prints one line per check; exits 1 if any failed. Built and run by
// KernelEmulationTest; by hand:  g++ -std=c++20 -O1 -pthread -ffp-contract=off -I../../main/cuda \
//   kernel_emulation_test.cpp -o /tmp/kernels && /tmp/kernels
#include "cuda_emulation.h"

#include "elementwise.cu"
#include "embeddings.cu"
#include "gemm.cu"
#include "loss.cu"
#include "optimizer.cu"
#include "persistent_cluster.cu"
#include "persistent_gru.cu"
#include "persistent_lstm.cu"
#include "persistent_rnn.cu"
#include "recurrent_steps.cu"
#include "reductions.cu"

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

static int failures = 0;

static void report(bool ok, const std::string& name, const std::string& detail = "") {
    std::printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    if (!ok) failures++;
}

static std::vector<float> randoms(std::mt19937& rng, size_t n, float scale) {
    std::uniform_real_distribution<float> d(-scale, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

static bool sameBits(float a, float b) {
    uint32_t x, y;
    std::memcpy(&x, &a, 4);
    std::memcpy(&y, &b, 4);
    return x == y;
}

// Bit-for-bit comparison; names the first differing index.
static void expectBits(const std::string& name, const std::vector<float>& expected, const std::vector<float>& got) {
    for (size_t i = 0; i < expected.size(); i++) {
        if (!sameBits(expected[i], got[i])) {
            report(false, name, "index " + std::to_string(i) + ": expected " + std::to_string(expected[i]) + " but was "
                    + std::to_string(got[i]));
            return;
        }
    }
    report(true, name);
}

// LaunchConfig's formulas.
static unsigned ceilDiv(long n, long d) { return (unsigned) ((n + d - 1) / d); }
static dim3 elementwiseGrid(long n) { return dim3(std::min<long>(4096, ceilDiv(n, 256))); }

// ---------------------------------------------------------------- gemm

// c against alpha * op(a) * op(b) + beta * c0 (c0 == nullptr: beta is 0 and c0 unread) within the error bound of a
// k-term float sum: the first element outside it, or "" when all are inside.
static std::string gemmMismatch(bool ta, bool tb, int m, int n, int k, float alpha, const float* a,
                        const float* b, float beta, const float* c0, const float* c) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double sum = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double av = ta ? a[(size_t) p * m + i] : a[(size_t) i * k + p];
                double bv = tb ? b[(size_t) j * k + p] : b[(size_t) p * n + j];
                sum += av * bv;
                mag += std::fabs(av * bv);
            }
            double old = c0 == nullptr ? 0.0 : c0[(size_t) i * n + j];
            double expected = alpha * sum + beta * old;
            double bound = (k + 2) * 0x1p-23 * (std::fabs(alpha) * mag + std::fabs(beta * old));
            double got = c[(size_t) i * n + j];
            if (!(std::fabs(got - expected) <= bound)) {
                return "c[" + std::to_string(i) + "," + std::to_string(j) + "] = " + std::to_string(got) + ", expected "
                        + std::to_string(expected);
            }
        }
    }
    return "";
}

enum class Variant { Skinny, Tile64, Tile128 };

static void checkGemm(bool ta, bool tb, int m, int n, int k, Variant variant) {
    std::mt19937 rng(m * 131 + n * 17 + k + ta * 7 + tb * 3);
    auto a = randoms(rng, (size_t) m * k, 1), b = randoms(rng, (size_t) k * n, 1), c0 = randoms(rng, (size_t) m * n, 1);
    std::vector<float> c = c0;
    float alpha = 0.75f, beta = -0.5f;
    bool skinny = variant == Variant::Skinny;
    if (variant == Variant::Tile128) {
        auto kernel = ta ? (tb ? sgemm_large_tt : sgemm_large_tn) : (tb ? sgemm_large_nt : sgemm_large_nn);
        emu::launch(kernel, dim3(ceilDiv(n, 128), ceilDiv(m, 128)), dim3(256), m, n, k, alpha, a.data(), b.data(), beta,
                c.data());
    } else if (skinny) {
        auto kernel = ta ? (tb ? sgemm_skinny_tt : sgemm_skinny_tn) : (tb ? sgemm_skinny_nt : sgemm_skinny_nn);
        dim3 grid = tb ? dim3(ceilDiv(n, 8)) : dim3(ceilDiv(n, 32));
        dim3 block = tb ? dim3(256) : dim3(32, 8);
        emu::launch(kernel, grid, block, m, n, k, alpha, a.data(), b.data(), beta, c.data());
    } else {
        auto kernel = ta ? (tb ? sgemm_tt : sgemm_tn) : (tb ? sgemm_nt : sgemm_nn);
        emu::launch(kernel, dim3(ceilDiv(n, 64), ceilDiv(m, 64)), dim3(256), m, n, k, alpha, a.data(), b.data(), beta,
                c.data());
    }
    std::string prefix = variant == Variant::Tile128 ? "sgemm_large_" : skinny ? "sgemm_skinny_" : "sgemm_";
    std::string name = prefix + (ta ? "t" : "n") + (tb ? "t" : "n") + " "
            + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
    std::string mismatch = gemmMismatch(ta, tb, m, n, k, alpha, a.data(), b.data(), beta, c0.data(), c.data());
    report(mismatch.empty(), name, mismatch);
}

using V2Kernel = void (*)(int, int, int, int, float, const float*, const float*, float, float*);
#define V2_KERNEL(BM, BN, ta, tb) \
    ((ta) ? ((tb) ? sgemm_v2_##BM##x##BN##_tt : sgemm_v2_##BM##x##BN##_tn) \
          : ((tb) ? sgemm_v2_##BM##x##BN##_nt : sgemm_v2_##BM##x##BN##_nn))

// A v2 kernel as CudaBackend launches it: with kChunk >= k one slice straight into c, else ceil(k / kChunk)
// slices into a NaN-filled partial buffer (every element must be written) folded by sgemm_split_k_sum. The
// operands and c start `offset` floats into their buffers, as row views do: offset 1 defeats the float4 loads
// and stores. With betaZero, c starts as NaN and must not be read.
static void checkGemmV2(V2Kernel kernel, int bm, int bn, bool ta, bool tb, int m, int n, int k, int kChunk, int offset,
                        bool betaZero) {
    std::mt19937 rng(m * 131 + n * 17 + k + ta * 7 + tb * 3 + kChunk * 5 + offset);
    auto a = randoms(rng, (size_t) m * k + offset, 1), b = randoms(rng, (size_t) k * n + offset, 1);
    auto c0 = randoms(rng, (size_t) m * n + offset, 1);
    if (betaZero) std::fill(c0.begin(), c0.end(), NAN);
    std::vector<float> c = c0;
    float alpha = 0.75f, beta = betaZero ? 0.0f : -0.5f;
    const float* pa = a.data() + offset;
    const float* pb = b.data() + offset;
    float* pc = c.data() + offset;
    int slices = k == 0 ? 1 : (int) ceilDiv(k, kChunk);
    dim3 grid(ceilDiv(n, bn) * slices, ceilDiv(m, bm));
    if (slices == 1) {
        emu::launch(kernel, grid, dim3(256), m, n, k, kChunk, alpha, pa, pb, beta, pc);
    } else {
        std::vector<float> partial((size_t) slices * m * n, NAN);
        emu::launch(kernel, grid, dim3(256), m, n, k, kChunk, 1.0f, pa, pb, 0.0f, partial.data());
        emu::launch(sgemm_split_k_sum, elementwiseGrid((long) m * n), dim3(256), m * n, slices, alpha,
                (const float*) partial.data(), beta, pc);
    }
    std::string name = "sgemm_v2_" + std::to_string(bm) + "x" + std::to_string(bn) + "_" + (ta ? "t" : "n")
            + (tb ? "t" : "n") + " " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k)
            + (slices > 1 ? " in " + std::to_string(slices) + " k slices" : "") + (offset ? " misaligned" : "")
            + (betaZero ? " beta=0 over NaN" : "");
    std::string mismatch = gemmMismatch(ta, tb, m, n, k, alpha, pa, pb, beta, betaZero ? nullptr : c0.data() + offset,
            pc);
    report(mismatch.empty(), name, mismatch);
}

// Ragged shapes (scalar loads), shapes whose dimensions are multiples of 4 (float4 loads and stores, with a
// part-filled last k tile and part-filled edge tiles), the same misaligned, split-K with an even and a ragged
// last slice, beta == 0 over NaN, and k == 0.
static void checkGemmV2Cases(V2Kernel kernel, int bm, int bn, bool ta, bool tb) {
    checkGemmV2(kernel, bm, bn, ta, tb, bm + 3, bn + 6, 21, 21, 0, false);
    checkGemmV2(kernel, bm, bn, ta, tb, bm + 4, bn + 8, 36, 36, 0, false);
    checkGemmV2(kernel, bm, bn, ta, tb, bm + 4, bn + 8, 36, 36, 1, false);
    checkGemmV2(kernel, bm, bn, ta, tb, 9, bn + 4, 100, 24, 0, false);
    checkGemmV2(kernel, bm, bn, ta, tb, 7, 5, 45, 16, 1, false);
    checkGemmV2(kernel, bm, bn, ta, tb, 12, 8, 20, 20, 0, true);
    checkGemmV2(kernel, bm, bn, ta, tb, 5, 6, 19, 8, 1, true);
    checkGemmV2(kernel, bm, bn, ta, tb, 5, 6, 0, 0, 0, false);
}

static void checkGemmBetaZeroIgnoresC() {
    for (int m : {2, 65}) {
        int n = 3, k = 2;
        std::vector<float> a((size_t) m * k, 1.0f), b((size_t) k * n, 2.0f), c((size_t) m * n, NAN);
        if (m <= 8) {
            emu::launch(sgemm_skinny_nn, dim3(1), dim3(32, 8), m, n, k, 1.0f, a.data(), b.data(), 0.0f, c.data());
        } else {
            emu::launch(sgemm_nn, dim3(1, 2), dim3(256), m, n, k, 1.0f, a.data(), b.data(), 0.0f, c.data());
        }
        bool ok = true;
        for (float v : c) ok &= v == 4.0f;
        report(ok, "gemm beta=0 ignores NaN in c, m=" + std::to_string(m));
    }
}

// ---------------------------------------------------------------- gemm as CudaBackend launches it

// GemmVariant.choose, splitK and launch, and CudaBackend.launchGemm, ported: which kernel, grid and k slices the
// host picks for a shape on a device with `sms` multiprocessors.
enum class GemmFamily { V1, V2 };

struct HostGemmPlan {
    std::string variant;  // GemmVariant's name
    int tileM = 0, tileN = 0;  // v2 tiles (0 for v1)
    int slices = 1, kChunk = 0;

    bool operator==(const HostGemmPlan& o) const {
        return variant == o.variant && slices == o.slices && kChunk == o.kChunk;
    }
};

static long gemmTiles(int m, int n, int tm, int tn) { return (long) ceilDiv(m, tm) * ceilDiv(n, tn); }

static HostGemmPlan planGemm(GemmFamily family, int m, int n, int k, int sms) {
    // GemmVariant's constants; SKINNY_MAX_ROWS and V2_K are gemm.cu's.
    const int SKINNY_MAX_DEPTH = 512, MIN_SLICE_K = 16 * V2_K, BLOCKS_PER_SM = 2;
    HostGemmPlan p;
    p.kChunk = k;
    if (family == GemmFamily::V1) {
        p.variant = m <= SKINNY_MAX_ROWS ? "SKINNY" : gemmTiles(m, n, 128, 128) >= sms ? "TILE_128" : "TILE_64";
        return p;
    }
    bool split = false;
    if (m <= SKINNY_MAX_ROWS && k <= SKINNY_MAX_DEPTH) {
        p.variant = "SKINNY";
        return p;
    }
    const int sizes[2][2] = {{128, 128}, {128, 64}};
    bool chosen = false;
    for (auto& s : sizes) {
        long tiles = gemmTiles(m, n, s[0], s[1]);
        std::string name = std::to_string(s[0]) + "X" + std::to_string(s[1]);
        if (tiles >= sms) {
            p.variant = "V2_" + name;
        } else if (2 * tiles >= sms && k >= 2 * MIN_SLICE_K) {
            p.variant = "SPLIT_K_" + name;
            split = true;
        } else {
            continue;
        }
        p.tileM = s[0];
        p.tileN = s[1];
        chosen = true;
        break;
    }
    if (!chosen) {
        split = gemmTiles(m, n, 64, 64) < sms;
        p.variant = split ? "SPLIT_K_64X64" : "V2_64X64";
        p.tileM = p.tileN = 64;
    }
    // GemmVariant.splitK
    long tiles = gemmTiles(m, n, p.tileM, p.tileN);
    long wanted = (BLOCKS_PER_SM * (long) sms + tiles - 1) / tiles;
    int slices = split ? (int) std::min<long>(wanted, k / MIN_SLICE_K) : 1;
    if (slices > 1) {
        p.kChunk = (int) ceilDiv(ceilDiv(k, slices), V2_K) * V2_K;
        p.slices = (int) ceilDiv(k, p.kChunk);
    }
    return p;
}

// c = alpha * op(a) * op(b) + beta * c with the kernels and launches of `plan`, as CudaBackend.launchGemm does
// (alpha != 0; the host fills or scales c itself for alpha == 0).
static void launchGemmAsHost(const HostGemmPlan& plan, bool ta, bool tb, int m, int n, int k, float alpha,
                             const float* a, const float* b, float beta, float* c) {
    if (plan.variant == "SKINNY") {
        auto kernel = ta ? (tb ? sgemm_skinny_tt : sgemm_skinny_tn) : (tb ? sgemm_skinny_nt : sgemm_skinny_nn);
        dim3 grid = tb ? dim3(ceilDiv(n, 8)) : dim3(ceilDiv(n, 32));
        dim3 block = tb ? dim3(256) : dim3(32, 8);
        emu::launch(kernel, grid, block, m, n, k, alpha, a, b, beta, c);
        return;
    }
    if (plan.variant == "TILE_64") {
        auto kernel = ta ? (tb ? sgemm_tt : sgemm_tn) : (tb ? sgemm_nt : sgemm_nn);
        emu::launch(kernel, dim3(ceilDiv(n, 64), ceilDiv(m, 64)), dim3(256), m, n, k, alpha, a, b, beta, c);
        return;
    }
    if (plan.variant == "TILE_128") {
        auto kernel = ta ? (tb ? sgemm_large_tt : sgemm_large_tn) : (tb ? sgemm_large_nt : sgemm_large_nn);
        emu::launch(kernel, dim3(ceilDiv(n, 128), ceilDiv(m, 128)), dim3(256), m, n, k, alpha, a, b, beta, c);
        return;
    }
    V2Kernel kernel = plan.tileN == 64 ? (plan.tileM == 64 ? V2_KERNEL(64, 64, ta, tb) : V2_KERNEL(128, 64, ta, tb))
                                       : V2_KERNEL(128, 128, ta, tb);
    dim3 grid(ceilDiv(n, plan.tileN) * plan.slices, ceilDiv(m, plan.tileM));
    if (plan.slices == 1) {
        emu::launch(kernel, grid, dim3(256), m, n, k, plan.kChunk, alpha, a, b, beta, c);
        return;
    }
    // Scratch memory holds whatever was there before: NaN, so an element no slice writes shows.
    std::vector<float> partial((size_t) plan.slices * m * n, NAN);
    emu::launch(kernel, grid, dim3(256), m, n, k, plan.kChunk, 1.0f, a, b, 0.0f, partial.data());
    emu::launch(sgemm_split_k_sum, elementwiseGrid((long) m * n), dim3(256), m * n, plan.slices, alpha,
            (const float*) partial.data(), beta, c);
}

// One of the kit's GEMM checks (GemmChecks) with the plan the host picks: operands and c `offset` floats into
// their buffers (a row view of a taller tensor: a whole number of rows keeps float4 alignment, 1 defeats it),
// c inside guard floats that must come back unchanged, c NaN-filled for nanInC.
static void checkGemmAsHost(const HostGemmPlan& plan, const std::string& where, bool ta, bool tb, int m, int n, int k,
                            float alpha, float beta, bool nanInC, int offset) {
    const int GUARD = 64;
    std::mt19937 rng(m * 131 + n * 17 + k + ta * 7 + tb * 3 + offset * 11 + (int) (beta * 4) + plan.slices);
    float scale = (float) (1 / std::sqrt((double) k));
    auto a = randoms(rng, (size_t) m * k + offset, scale), b = randoms(rng, (size_t) k * n + offset, scale);
    auto base = randoms(rng, (size_t) m * n + offset + GUARD, 1);
    if (nanInC) std::fill(base.begin() + offset, base.begin() + offset + (size_t) m * n, NAN);
    std::vector<float> c = base;
    const float* pa = a.data() + offset;
    const float* pb = b.data() + offset;
    float* pc = c.data() + offset;
    launchGemmAsHost(plan, ta, tb, m, n, k, alpha, pa, pb, beta, pc);
    char scalars[64];
    std::snprintf(scalars, sizeof scalars, "alpha=%g beta=%g%s", alpha, beta, nanInC ? " NaN in c" : "");
    std::string name = "gemm as the host launches it (" + where + ": " + plan.variant
            + (plan.slices > 1 ? " in " + std::to_string(plan.slices) + " k slices of " + std::to_string(plan.kChunk)
                               : "")
            + ") " + (ta ? "t" : "n") + (tb ? "t" : "n") + " " + std::to_string(m) + "x" + std::to_string(n) + "x"
            + std::to_string(k) + " " + scalars + (offset ? " offset " + std::to_string(offset) : "");
    std::string mismatch = gemmMismatch(ta, tb, m, n, k, alpha, pa, pb, beta,
            nanInC ? nullptr : base.data() + offset, pc);
    for (size_t i = 0; mismatch.empty() && i < c.size(); i++) {
        bool inside = i >= (size_t) offset && i < (size_t) offset + (size_t) m * n;
        if (!inside && !sameBits(base[i], c[i])) mismatch = "wrote outside c, at " + std::to_string((long) i - offset);
    }
    report(mismatch.empty(), name, mismatch);
}

// The kit's GEMM shapes that are exact multiples of every block (8x8 with k = 8, 64x32 with k = 256) in each
// transpose case, with the kit's alpha and beta (beta 0 over NaN among them), plain and as row views, with every
// plan the host can pick for them on a device of 1 to 300 multiprocessors in either family; the kit's other shapes
// with the plan for an H100 or H200 (132 multiprocessors).
static void checkGemmShapesOfTheKit() {
    struct Dims { int m, n, k; };
    struct Scalars { float alpha, beta; bool nanInC; };
    const Scalars scalars[] = {{1, 0, true}, {-0.75f, 1.5f, false}, {1, 1, false}};
    for (Dims d : {Dims{8, 8, 8}, Dims{64, 32, 256}}) {
        struct Use { HostGemmPlan plan; GemmFamily family; int fewest, most; };  // on fewest..most SMs
        std::vector<Use> uses;
        for (GemmFamily family : {GemmFamily::V2, GemmFamily::V1}) {
            for (int sms = 1; sms <= 300; sms++) {
                HostGemmPlan p = planGemm(family, d.m, d.n, d.k, sms);
                if (!uses.empty() && uses.back().family == family && uses.back().plan == p) {
                    uses.back().most = sms;
                } else {
                    uses.push_back({p, family, sms, sms});
                }
            }
        }
        std::vector<std::pair<HostGemmPlan, std::string>> plans;
        for (const Use& u : uses) {
            bool seen = false;
            for (auto& q : plans) seen |= q.first == u.plan;  // v1 and v2 share the skinny kernels
            if (!seen) {
                plans.emplace_back(u.plan, std::string(u.family == GemmFamily::V1 ? "v1" : "v2") + ", "
                        + std::to_string(u.fewest) + (u.most > u.fewest ? "-" + std::to_string(u.most) : "") + " SMs");
            }
        }
        for (auto& [plan, where] : plans)
            for (bool ta : {false, true})
                for (bool tb : {false, true})
                    for (Scalars s : scalars)
                        for (int offset : {0, d.k, 1}) {  // k: whole rows of every operand and c
                            checkGemmAsHost(plan, where, ta, tb, d.m, d.n, d.k, s.alpha, s.beta, s.nanInC, offset);
                        }
    }
    for (Dims d : {Dims{1, 1, 1}, Dims{1, 9, 4}, Dims{9, 1, 4}, Dims{4, 6, 1}, Dims{5, 5, 5}, Dims{257, 129, 65},
                   Dims{129, 257, 257}, Dims{6, 7, 5}, Dims{4, 6, 6}}) {
        HostGemmPlan plan = planGemm(GemmFamily::V2, d.m, d.n, d.k, 132);
        bool large = d.m * d.n > 1000;  // one set of scalars per transpose case: thousands of emulated threads each
        for (bool ta : {false, true})
            for (bool tb : {false, true})
                for (int i = 0; i < 3; i++) {
                    if (large && i != (2 * ta + tb) % 3) continue;
                    const Scalars& s = scalars[i];
                    checkGemmAsHost(plan, "v2, 132 SMs", ta, tb, d.m, d.n, d.k, s.alpha, s.beta, s.nanInC, 0);
                }
    }
    // GemmChecks' row views: a from a's third row, c from its second (35 floats: whole rows of both), beta 0.5.
    for (bool t : {false, true}) {
        checkGemmAsHost(planGemm(GemmFamily::V2, 6, 7, 5, 132), "v2, 132 SMs", t, t, 6, 7, 5, 1, 0.5f, false, 35);
    }
}

// The element-wise kernels on the kit's [8, 16] (128 elements, an exact multiple of every power-of-two width up to
// 128) with LaunchConfig.elementwise's grid, into a separate NaN-filled output and in place (out is each input in
// turn); bit for bit, and nothing written past the 128 elements.
static void checkElementwise128() {
    const int n = 128, GUARD = 32;
    std::mt19937 rng(128);
    using Binary = void (*)(const float*, const float*, float*, int);
    struct BinaryOp { const char* name; Binary kernel; float (*f)(float, float); };
    const BinaryOp binaries[] = {
        {"add_f32", add_f32, [](float x, float y) { return x + y; }},
        {"sub_f32", sub_f32, [](float x, float y) { return x - y; }},
        {"mul_f32", mul_f32, [](float x, float y) { return x * y; }},
        {"div_f32", div_f32, [](float x, float y) { return x / y; }},
        {"tanh_backward_f32", tanh_backward_f32, [](float y, float dy) { return dy * (1.0f - y * y); }},
        {"sigmoid_backward_f32", sigmoid_backward_f32, [](float y, float dy) { return dy * (1.0f - y) * y; }},
        {"relu_backward_f32", relu_backward_f32, [](float y, float dy) { return unroll_relu_grad(y, dy); }},
    };
    auto guarded = [&](std::vector<float> v) {
        v.resize(n + GUARD, -7.0f);
        return v;
    };
    auto intact = [&](const std::vector<float>& v) {
        for (int i = n; i < n + GUARD; i++) if (v[i] != -7.0f) return false;
        return true;
    };
    auto expectOut = [&](const std::string& name, const std::vector<float>& want, const std::vector<float>& got) {
        if (!intact(got)) {
            report(false, name, "wrote past the 128 elements");
            return;
        }
        expectBits(name, want, std::vector<float>(got.begin(), got.begin() + n));
    };
    for (const BinaryOp& op : binaries) {
        auto a = randoms(rng, n, 2), b = randoms(rng, n, 2);
        if (op.kernel == div_f32) for (auto& v : b) v = v < 0 ? v - 0.25f : v + 0.25f;
        std::vector<float> want(n);
        for (int i = 0; i < n; i++) want[i] = op.f(a[i], b[i]);
        for (int alias = -1; alias < 2; alias++) {
            auto ga = guarded(a), gb = guarded(b), out = guarded(std::vector<float>(n, NAN));
            std::vector<float>& o = alias == 0 ? ga : alias == 1 ? gb : out;
            emu::launch(op.kernel, elementwiseGrid(n), dim3(256), (const float*) ga.data(), (const float*) gb.data(),
                    o.data(), n);
            expectOut(std::string(op.name) + " [8, 16]" + (alias < 0 ? "" : alias == 0 ? " in place (out = a)"
                    : " in place (out = b)"), want, o);
        }
    }
    using Unary = void (*)(const float*, float*, int);
    struct UnaryOp { const char* name; Unary kernel; float (*f)(float); };
    const UnaryOp unaries[] = {
        {"sqrt_f32", sqrt_f32, [](float x) { return std::sqrt(std::fabs(x)); }},
        {"tanh_f32", tanh_f32, [](float x) { return (float) std::tanh((double) x); }},
        {"sigmoid_f32", sigmoid_f32, [](float x) { return (float) (1.0 / (1.0 + std::exp(-(double) x))); }},
        {"relu_f32", relu_f32, [](float x) { return x <= 0.0f ? 0.0f : x; }},
    };
    for (const UnaryOp& op : unaries) {
        auto x = randoms(rng, n, 2);
        if (op.kernel == sqrt_f32) for (auto& v : x) v = std::fabs(v);
        x[0] = 0.0f;
        std::vector<float> want(n);
        for (int i = 0; i < n; i++) want[i] = op.f(x[i]);
        for (bool inPlace : {false, true}) {
            auto gx = guarded(x), out = guarded(std::vector<float>(n, NAN));
            std::vector<float>& o = inPlace ? gx : out;
            emu::launch(op.kernel, elementwiseGrid(n), dim3(256), (const float*) gx.data(), o.data(), n);
            expectOut(std::string(op.name) + " [8, 16]" + (inPlace ? " in place" : ""), want, o);
        }
    }
    // scale, addScalar, clamp (NaN and the bounds among the inputs) and axpy, with the kit's constants.
    auto x = randoms(rng, n, 3), y = randoms(rng, n, 2);
    x[0] = NAN;
    x[1] = -1.0f;
    x[2] = 0.5f;
    std::vector<float> wantScale(n), wantAdd(n), wantClamp(n), wantAxpy(n);
    for (int i = 0; i < n; i++) {
        wantScale[i] = -1.5f * x[i];
        wantAdd[i] = x[i] + 0.375f;
        wantClamp[i] = x[i] != x[i] ? x[i] : std::fmin(std::fmax(x[i], -1.0f), 0.5f);
        wantAxpy[i] = y[i] + -1.5f * x[i];
    }
    for (bool inPlace : {false, true}) {
        std::string suffix = std::string(" [8, 16]") + (inPlace ? " in place" : "");
        auto gx = guarded(x), out = guarded(std::vector<float>(n, NAN));
        emu::launch(scale_f32, elementwiseGrid(n), dim3(256), -1.5f, (const float*) gx.data(),
                (inPlace ? gx : out).data(), n);
        expectOut("scale_f32" + suffix, wantScale, inPlace ? gx : out);
        gx = guarded(x), out = guarded(std::vector<float>(n, NAN));
        emu::launch(add_scalar_f32, elementwiseGrid(n), dim3(256), (const float*) gx.data(), 0.375f,
                (inPlace ? gx : out).data(), n);
        expectOut("add_scalar_f32" + suffix, wantAdd, inPlace ? gx : out);
        gx = guarded(x), out = guarded(std::vector<float>(n, NAN));
        emu::launch(clamp_f32, elementwiseGrid(n), dim3(256), (const float*) gx.data(), -1.0f, 0.5f,
                (inPlace ? gx : out).data(), n);
        expectOut("clamp_f32" + suffix, wantClamp, inPlace ? gx : out);
    }
    auto gx = guarded(x), gy = guarded(y);
    for (auto& v : gx) if (v != v) v = 0.25f;  // axpy with a finite x
    for (int i = 0; i < n; i++) wantAxpy[i] = y[i] + -1.5f * gx[i];
    emu::launch(axpy_f32, elementwiseGrid(n), dim3(256), -1.5f, (const float*) gx.data(), gy.data(), n);
    expectOut("axpy_f32 [8, 16]", wantAxpy, gy);
    std::vector<float> want(n);
    for (int i = 0; i < n; i++) want[i] = y[i] + -1.5f * y[i];
    gy = guarded(y);
    emu::launch(axpy_f32, elementwiseGrid(n), dim3(256), -1.5f, (const float*) gy.data(), gy.data(), n);
    expectOut("axpy_f32 [8, 16] of y into itself", want, gy);
}

// ---------------------------------------------------------------- element-wise

static void checkElementwise() {
    std::mt19937 rng(1);
    int n = 1000;
    auto a = randoms(rng, n, 5), b = randoms(rng, n, 5);
    std::vector<float> out(n), expected(n);
    // A grid smaller than the data exercises the grid-stride loop.
    emu::launch(add_f32, dim3(2), dim3(256), a.data(), b.data(), out.data(), n);
    for (int i = 0; i < n; i++) expected[i] = a[i] + b[i];
    expectBits("add_f32 grid-stride", expected, out);

    std::vector<float> y = b;
    emu::launch(axpy_f32, elementwiseGrid(n), dim3(256), 0.3f, a.data(), y.data(), n);
    for (int i = 0; i < n; i++) expected[i] = b[i] + 0.3f * a[i];
    expectBits("axpy_f32", expected, y);

    emu::launch(tanh_f32, elementwiseGrid(n), dim3(256), a.data(), out.data(), n);
    for (int i = 0; i < n; i++) expected[i] = (float) std::tanh((double) a[i]);
    expectBits("tanh_f32", expected, out);

    emu::launch(sigmoid_backward_f32, elementwiseGrid(n), dim3(256), a.data(), b.data(), out.data(), n);
    for (int i = 0; i < n; i++) expected[i] = b[i] * (1.0f - a[i]) * a[i];
    expectBits("sigmoid_backward_f32", expected, out);

    std::vector<float> x = {NAN, -5, 5, 0.5f};
    std::vector<float> clamped(4);
    emu::launch(clamp_f32, dim3(1), dim3(256), x.data(), -1.0f, 1.0f, clamped.data(), 4);
    report(std::isnan(clamped[0]) && clamped[1] == -1 && clamped[2] == 1 && clamped[3] == 0.5f, "clamp_f32 keeps NaN");
    emu::launch(relu_f32, dim3(1), dim3(256), x.data(), clamped.data(), 4);
    report(std::isnan(clamped[0]) && clamped[1] == 0 && clamped[2] == 5, "relu_f32 keeps NaN");

    int rows = 7, cols = 45;
    auto m = randoms(rng, rows * cols, 1), row = randoms(rng, cols, 1), column = randoms(rng, rows, 1);
    std::vector<float> o(rows * cols), e(rows * cols);
    emu::launch(add_row_vector_f32, elementwiseGrid(rows * cols), dim3(256), m.data(), row.data(), o.data(), rows * cols, cols);
    for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) e[i * cols + j] = m[i * cols + j] + row[j];
    expectBits("add_row_vector_f32", e, o);
    emu::launch(mul_column_vector_f32, elementwiseGrid(rows * cols), dim3(256), m.data(), column.data(), o.data(),
            rows * cols, cols);
    for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) e[i * cols + j] = m[i * cols + j] * column[i];
    expectBits("mul_column_vector_f32", e, o);

    // dst[:, 2..5] = src[:, 10..13] between matrices of different widths.
    std::vector<float> dst(rows * 8, -1.0f), want(rows * 8, -1.0f);
    emu::launch(copy_columns_f32, elementwiseGrid(rows * 4), dim3(256), m.data(), cols, 10, dst.data(), 8, 2, rows, 4);
    for (int r = 0; r < rows; r++) for (int j = 0; j < 4; j++) want[r * 8 + 2 + j] = m[r * cols + 10 + j];
    expectBits("copy_columns_f32", want, dst);
}

// ---------------------------------------------------------------- reductions

static void checkReductions() {
    std::mt19937 rng(2);
    int rows = 37, cols = 45;
    auto m = randoms(rng, rows * cols, 1);
    std::vector<float> out(cols, NAN), expected(cols);
    emu::launch(column_sums_f32, dim3(ceilDiv(cols, 32)), dim3(32, 8), m.data(), rows, cols, 0.0, out.data());
    for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int i = 0; i < rows; i++) s += m[i * cols + j];
        expected[j] = (float) s;
    }
    expectBits("column_sums_f32 beta=0", expected, out);
    emu::launch(column_sums_f32, dim3(ceilDiv(cols, 32)), dim3(32, 8), m.data(), rows, cols, 0.5, out.data());
    for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int i = 0; i < rows; i++) s += m[i * cols + j];
        expected[j] = (float) (0.5 * (double) expected[j] + s);
    }
    expectBits("column_sums_f32 beta=0.5", expected, out);

    int n = 3001;
    auto x = randoms(rng, n, 2);
    unsigned blocks = 3;  // fewer than ceil(n / 256): the grid-stride loop must cover the rest
    std::vector<double> partials(blocks), result(1);
    emu::launch(sum_of_squares_partial_f32, dim3(blocks), dim3(256), x.data(), n, partials.data());
    emu::launch(sum_f64, dim3(1), dim3(256), partials.data(), (int) blocks, result.data());
    double s = 0;
    for (float v : x) s += (double) v * v;
    // Both sums add n positive terms in double, in different orders: each is within n * 2^-53 * s of the truth.
    double bound = 2.0 * n * 0x1p-53 * s;
    report(std::fabs(result[0] - s) <= bound, "sum_of_squares", std::to_string(result[0] - s) + " off");

    std::vector<float> fp(blocks), fr(1);
    emu::launch(max_abs_partial_f32, dim3(blocks), dim3(256), x.data(), n, fp.data());
    emu::launch(max_f32, dim3(1), dim3(256), fp.data(), (int) blocks, fr.data());
    float mx = 0;
    for (float v : x) mx = std::max(mx, std::fabs(v));
    report(fr[0] == mx, "max_abs");
    x[2999] = NAN;
    emu::launch(max_abs_partial_f32, dim3(blocks), dim3(256), x.data(), n, fp.data());
    emu::launch(max_f32, dim3(1), dim3(256), fp.data(), (int) blocks, fr.data());
    report(std::isnan(fr[0]), "max_abs propagates NaN");
}

// ---------------------------------------------------------------- embeddings and loss

static void checkEmbeddings() {
    std::vector<float> table(3 * 2, 0.0f), src = {1, 2, 3, 4, 5, 6};
    std::vector<int> idx = {2, 0, 2};
    emu::launch(scatter_add_rows_f32, dim3(1), dim3(256), src.data(), 2, idx.data(), 6, table.data());
    expectBits("scatter_add_rows_f32 repeats", {3, 4, 0, 0, 6, 8}, table);
    std::vector<float> out(4);
    std::vector<int> g = {2, 1};
    emu::launch(gather_rows_f32, dim3(1), dim3(256), table.data(), 2, g.data(), 4, out.data());
    expectBits("gather_rows_f32", {6, 8, 0, 0}, out);
}

static void checkSoftmax() {
    std::mt19937 rng(3);
    for (int cols : {3, 300}) {
        int rows = 4;
        auto x = randoms(rng, rows * cols, 10);
        std::vector<int> targets = {0, -1, cols - 1, 1};
        std::vector<float> p(rows * cols), expected(rows * cols);
        std::vector<double> rowLoss(rows);
        emu::launch(softmax_cross_entropy_f32, dim3(rows), dim3(256), x.data(), cols, targets.data(), p.data(), rowLoss.data());
        double lossError = 0;
        for (int i = 0; i < rows; i++) {
            float max = x[i * cols];
            for (int j = 1; j < cols; j++) max = std::max(max, x[i * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += std::exp((double) x[i * cols + j] - max);
            for (int j = 0; j < cols; j++) expected[i * cols + j] = (float) (std::exp((double) x[i * cols + j] - max) / sum);
            double loss = targets[i] < 0 ? 0 : std::log(sum) - ((double) x[i * cols + targets[i]] - max);
            // The row sums differ only in order: each within cols * 2^-53 relative, so log(sum) within that absolute.
            lossError = std::max(lossError, std::fabs(loss - rowLoss[i]) / ((2.0 * cols + 2) * 0x1p-53 * std::max(1.0, std::fabs(loss))));
        }
        int far = 0;
        for (int i = 0; i < rows * cols; i++) {
            if (std::fabs(expected[i] - p[i]) > std::nextafter(std::fabs(expected[i]), INFINITY) - std::fabs(expected[i])) far++;
        }
        report(far == 0 && lossError <= 1, "softmax_cross_entropy_f32 cols=" + std::to_string(cols),
                std::to_string(far) + " probabilities more than 1 ulp off, loss error " + std::to_string(lossError)
                        + " of its bound");
        std::vector<float> d(rows * cols), want(rows * cols);
        emu::launch(softmax_cross_entropy_backward_f32, elementwiseGrid(rows * cols), dim3(256), p.data(), cols,
                targets.data(), 0.25f, rows * cols, d.data());
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                want[i * cols + j] = targets[i] < 0 ? 0.0f : 0.25f * (p[i * cols + j] - (j == targets[i] ? 1.0f : 0.0f));
        expectBits("softmax_cross_entropy_backward_f32 cols=" + std::to_string(cols), want, d);
    }
}

// ---------------------------------------------------------------- fused steps, against the composite's order

static float sig(float x) { return (float) (1.0 / (1.0 + std::exp(-(double) x))); }
static float th(float x) { return (float) std::tanh((double) x); }
static float sigGrad(float y, float dy) { return dy * (1.0f - y) * y; }
static float thGrad(float y, float dy) { return dy * (1.0f - y * y); }

static void checkLstm() {
    std::mt19937 rng(4);
    int B = 3, H = 5, n = B * H;
    auto gates = randoms(rng, B * 4 * H, 3), cPrev = randoms(rng, n, 1), dh = randoms(rng, n, 1), dc = randoms(rng, n, 1);
    std::vector<float> g = gates, c(n), h(n), eg = gates, ec(n), eh(n);
    emu::launch(lstm_step_forward_f32, elementwiseGrid(n), dim3(256), g.data(), cPrev.data(), c.data(), h.data(), n, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            float* q = &eg[b * 4 * H + j];
            float i = sig(q[0]), f = sig(q[H]), gg = th(q[2 * H]), o = sig(q[3 * H]);
            float ig = i * gg;
            float cv = f * cPrev[b * H + j];
            cv = cv + ig;
            q[0] = i; q[H] = f; q[2 * H] = gg; q[3 * H] = o;
            ec[b * H + j] = cv;
            float tc = th(cv);
            eh[b * H + j] = o * tc;
        }
    expectBits("lstm forward gates", eg, g);
    expectBits("lstm forward c", ec, c);
    expectBits("lstm forward h", eh, h);

    std::vector<float> dcv = dc, dg(B * 4 * H), edc = dc, edg(B * 4 * H);
    emu::launch(lstm_step_backward_f32, elementwiseGrid(n), dim3(256), g.data(), cPrev.data(), c.data(), dh.data(),
            dcv.data(), dg.data(), n, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            int s = b * H + j, q = b * 4 * H + j;
            float i = eg[q], f = eg[q + H], gg = eg[q + 2 * H], o = eg[q + 3 * H];
            float tc = th(ec[s]);
            float dct = dh[s] * o;
            dct = thGrad(tc, dct);
            dct = dct + dc[s];
            float dO = sigGrad(o, dh[s] * tc), dI = sigGrad(i, dct * gg), dF = sigGrad(f, dct * cPrev[s]);
            float dG = thGrad(gg, dct * i);
            edc[s] = dct * f;
            edg[q] = dI; edg[q + H] = dF; edg[q + 2 * H] = dG; edg[q + 3 * H] = dO;
        }
    expectBits("lstm backward dc", edc, dcv);
    expectBits("lstm backward dGates", edg, dg);
}

static void checkGru() {
    std::mt19937 rng(5);
    int B = 2, H = 7, n = B * H;
    auto gates = randoms(rng, B * 3 * H, 3), hProj = randoms(rng, B * 3 * H, 3), hPrev = randoms(rng, n, 1),
         dh = randoms(rng, n, 1);
    std::vector<float> g = gates, h(n), eg = gates, eh(n);
    emu::launch(gru_step_forward_f32, elementwiseGrid(n), dim3(256), g.data(), hProj.data(), hPrev.data(), h.data(), n, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            int q = b * 3 * H + j, s = b * H + j;
            float r = sig(eg[q] + hProj[q]), z = sig(eg[q + H] + hProj[q + H]);
            float rh = r * hProj[q + 2 * H];
            float nn = th(eg[q + 2 * H] + rh);
            float diff = hPrev[s] - nn;
            diff = z * diff;
            eg[q] = r; eg[q + H] = z; eg[q + 2 * H] = nn;
            eh[s] = nn + diff;
        }
    expectBits("gru forward gates", eg, g);
    expectBits("gru forward h", eh, h);

    std::vector<float> dhv = dh, di(B * 3 * H), dhid(B * 3 * H), edh = dh, edi(B * 3 * H), edhid(B * 3 * H);
    emu::launch(gru_step_backward_f32, elementwiseGrid(n), dim3(256), g.data(), hProj.data(), hPrev.data(), dhv.data(),
            di.data(), dhid.data(), n, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            int q = b * 3 * H + j, s = b * H + j;
            float r = eg[q], z = eg[q + H], nn = eg[q + 2 * H], hn = hProj[q + 2 * H];
            float dhz = dh[s] * z;
            float dN = thGrad(nn, dh[s] - dhz);
            float dZ = sigGrad(z, dh[s] * (hPrev[s] - nn));
            float dR = sigGrad(r, dN * hn);
            edi[q] = dR; edi[q + H] = dZ; edi[q + 2 * H] = dN;
            edhid[q] = dR; edhid[q + H] = dZ; edhid[q + 2 * H] = dN * r;
            edh[s] = dhz;
        }
    expectBits("gru backward dh", edh, dhv);
    expectBits("gru backward dInput", edi, di);
    expectBits("gru backward dHidden", edhid, dhid);
}

static void checkAdam() {
    std::mt19937 rng(6);
    int n = 300;
    auto p = randoms(rng, n, 1), g = randoms(rng, n, 1), m = randoms(rng, n, 0.1f), v = randoms(rng, n, 0.1f);
    for (auto& x : v) x = std::fabs(x);
    std::vector<float> ep = p, em = m, ev = v;
    float wd = 0.01f, b1 = 0.9f, omb1 = (float) (1 - 0.9), b2 = 0.999f, omb2 = (float) (1 - 0.999);
    double c1 = 1 - std::pow(0.9, 2), c2 = 1 - std::pow(0.999, 2);
    float inv = (float) (1 / std::sqrt(c2)), eps = 1e-8f, step = (float) (-1e-3 / c1);
    emu::launch(adam_f32, elementwiseGrid(n), dim3(256), p.data(), g.data(), m.data(), v.data(), n, 1, wd, b1, omb1, b2,
            omb2, inv, eps, step);
    for (int i = 0; i < n; i++) {
        float gg = g[i] + wd * ep[i];
        float mv = b1 * em[i];
        mv = mv + omb1 * gg;
        float vv = b2 * ev[i];
        vv = vv + omb2 * (gg * gg);
        float den = inv * std::sqrt(vv);
        den = den + eps;
        em[i] = mv; ev[i] = vv;
        ep[i] = ep[i] + step * (mv / den);
    }
    expectBits("adam param", ep, p);
    expectBits("adam m", em, m);
    expectBits("adam v", ev, v);
}

// ---------------------------------------------------------------- persistent recurrences

// The grid kernels' dot product: lane l accumulates p = l, l+32, ... with fused multiply-adds, then the shuffle tree
// folds lanes pairwise (offset 16, 8, 4, 2, 1) into lane 0.
static float warpDot(const float* w, const float* h, int n) {
    float lanes[32];
    for (int l = 0; l < 32; l++) {
        float sum = 0.0f;
        for (int p = l; p < n; p += 32) sum = std::fma(w[p], h[p], sum);
        lanes[l] = sum;
    }
    for (int offset = 16; offset > 0; offset >>= 1)
        for (int l = 0; l + offset < 32; l++) lanes[l] += lanes[l + offset];
    return lanes[0];
}

// The cluster kernels' dot product: each chunk of K columns accumulates with fused multiply-adds in column order
// (columns past n are zero padding), then the chunks' sums are added in order.
static float chunkDot(const float* w, const float* h, int n, int K) {
    float sum = 0.0f;
    for (int c = 0; c * K < n; c++) {
        float part = 0.0f;
        for (int p = c * K; p < c * K + K; p++) part = std::fma(p < n ? w[p] : 0.0f, p < n ? h[p] : 0.0f, part);
        sum = c == 0 ? part : sum + part;
    }
    return sum;
}

// How a check runs a kernel: the scheme's name and launch, and the dot product it computes.
struct Scheme {
    std::string name;
    std::function<float(const float*, const float*, int)> dot;
};

static Scheme grid(int U) {
    return {" grid U=" + std::to_string(U), warpDot};
}

static Scheme cluster(int K) {
    return {" cluster K=" + std::to_string(K), [K](const float* w, const float* h, int n) { return chunkDot(w, h, n, K); }};
}

// Dynamic shared memory of the schemes, as PersistentPlan and ClusterPlan compute it.
static size_t gridShared(int G, int U, int B, int H) { return (size_t) (G * U * H + B * H + G * U * B) * sizeof(float); }

static size_t clusterShared(int G, int K, int B, int H) {
    int Bp = (B + 3) / 4 * 4, chunks = (int) ceilDiv(H, K), U = (int) ceilDiv(H, CLUSTER_BLOCKS);
    return (size_t) (2 * Bp * chunks * K + chunks * G * U * Bp) * sizeof(float);
}

static int clusterThreads(int G, int K, int B, int H) {
    int units = (int) ceilDiv(H, CLUSTER_BLOCKS);
    int work = std::max(G * units * (int) ceilDiv(H, K), units * B);
    return std::max(32, (int) ceilDiv(work, 32) * 32);
}

static std::string shape(int T, int B, int H) {
    return " T=" + std::to_string(T) + " B=" + std::to_string(B) + " H=" + std::to_string(H);
}

// The direction of a recurrence check (persistent_cells.cuh, TimeOrder): reversed, the forward runs t = T-1 .. 0 and
// its state outputs are checked in a buffer of T+1 blocks, as the SPI's, whose block T (where the SPI keeps the
// initial state, which the kernels must take from h0 and c0 instead) is a NaN guard that must stay untouched; the
// outputs start as NaN, so an element the kernel skips fails too. Forward the outputs are T blocks of zeros.
struct Direction {
    bool reverse;

    size_t stateBlocks(int T) const { return (size_t) T + (reverse ? 1 : 0); }
    float fill() const { return reverse ? NAN : 0.0f; }
    // The time step that the forward processes s-th; the backward processes them in the opposite order.
    int forwardTime(int T, int s) const { return reverse ? T - 1 - s : s; }
    int backwardTime(int T, int s) const { return forwardTime(T, T - 1 - s); }
    // The blocks of a state sequence [(T+1)*B, H] that time step t reads and writes.
    size_t read(int t) const { return (size_t) t + (reverse ? 1 : 0); }
    size_t written(int t) const { return (size_t) t + (reverse ? 0 : 1); }
    std::string name() const { return reverse ? " reverse" : ""; }
    int arg() const { return reverse ? 1 : 0; }
};

static constexpr Direction FORWARD{false}, REVERSE{true};

// Which batch rows run at each time step (persistent_cells.cuh, TimeOrder::runs): rows [0, counts[t]) at time step t
// (indexed by time, not by processing order), or every row every step where there are no counts (the kernel gets
// null). A ragged check (counts given) runs the forwards in place, gates == xProj, as CudaBackend launches them, so
// the gates of a row that skips a step must keep their input; it starts every state output (hidden, cells, hProj)
// as NaN in both directions, so an element the kernel leaves alone where the loop writes it fails; and the
// backward's gradient outputs start as NaN, so the rows of a skipped step must stay NaN.
struct Active {
    std::vector<int> counts;

    bool ragged() const { return !counts.empty(); }
    const int* arg() const { return ragged() ? counts.data() : nullptr; }
    bool runs(int t, int b) const { return !ragged() || b < counts[t]; }
    std::string name() const {
        std::string n;
        for (int c : counts) n += (n.empty() ? " active=" : ",") + std::to_string(c);
        return n;
    }
};

static const Active ALL{};

// launch(xProj, w, h0, c0, gates, cells, hidden) runs the kernel; the reference follows it step by step, as the
// SPI's loop with the kernel's dot products. A row that skips a step (active) keeps its state: h_t and c_t are the
// state the step read, its gates are left alone.
static void checkPersistentLstm(int T, int B, int H, const Scheme& scheme, Direction dir, const Active& active,
        const std::function<void(float*, float*, float*, float*, float*, float*, float*)>& launch) {
    std::mt19937 rng(T * 100 + B * 10 + H);
    auto xProj = randoms(rng, (size_t) T * B * 4 * H, 2), w = randoms(rng, (size_t) 4 * H * H, 0.5f);
    auto h0 = randoms(rng, (size_t) B * H, 1), c0 = randoms(rng, (size_t) B * H, 1);
    const float fill = active.ragged() ? NAN : dir.fill();
    std::vector<float> gates((size_t) T * B * 4 * H, fill), cells(dir.stateBlocks(T) * B * H, fill);
    if (active.ragged()) gates = xProj;
    std::vector<float> hidden(cells.size(), fill);
    std::vector<float> eg = gates, ec = cells, eh = hidden;
    launch(active.ragged() ? gates.data() : xProj.data(), w.data(), h0.data(), c0.data(), gates.data(), cells.data(),
            hidden.data());

    std::vector<float> hPrev = h0, cPrev = c0;
    for (int s = 0; s < T; s++) {
        const int t = dir.forwardTime(T, s);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                size_t row = (size_t) t * B + b;
                if (!active.runs(t, b)) {
                    ec[row * H + j] = cPrev[b * H + j];
                    eh[row * H + j] = hPrev[b * H + j];
                    continue;
                }
                const float* x = &xProj[row * 4 * H];
                float pre[4];
                for (int g = 0; g < 4; g++) pre[g] = x[g * H + j] + scheme.dot(&w[(size_t) (g * H + j) * H], &hPrev[b * H], H);
                float i = sig(pre[0]), f = sig(pre[1]), gg = th(pre[2]), o = sig(pre[3]);
                float ig = i * gg;
                float cv = f * cPrev[b * H + j];
                cv = cv + ig;
                eg[row * 4 * H + j] = i; eg[row * 4 * H + H + j] = f; eg[row * 4 * H + 2 * H + j] = gg;
                eg[row * 4 * H + 3 * H + j] = o;
                ec[row * H + j] = cv;
                eh[row * H + j] = o * th(cv);
            }
        hPrev.assign(eh.begin() + (size_t) t * B * H, eh.begin() + (size_t) (t + 1) * B * H);
        cPrev.assign(ec.begin() + (size_t) t * B * H, ec.begin() + (size_t) (t + 1) * B * H);
    }
    std::string name = shape(T, B, H) + scheme.name + dir.name() + active.name();
    expectBits("lstm_persistent gates" + name, eg, gates);
    expectBits("lstm_persistent cells" + name, ec, cells);
    expectBits("lstm_persistent hidden" + name, eh, hidden);
}

static void checkGridLstm(int T, int B, int H, int U, Direction dir = FORWARD, const Active& active = ALL) {
    checkPersistentLstm(T, B, H, grid(U), dir, active, [&](float* x, float* w, float* h0, float* c0, float* g,
            float* c, float* h) {
        unsigned int barrier[2] = {0, 0};
        emu::launchCooperative(lstm_persistent_forward_f32, dim3(ceilDiv(H, U)), dim3(256), gridShared(4, U, B, H),
                x, w, h0, c0, g, c, h, T, B, H, U, dir.arg(), active.arg(), barrier);
        report(barrier[0] == 0, "lstm_persistent leaves its barrier counter at 0" + shape(T, B, H) + dir.name()
                + active.name());
    });
}

static void checkClusterLstm(int T, int B, int H, int K, Direction dir = FORWARD, const Active& active = ALL) {
    checkPersistentLstm(T, B, H, cluster(K), dir, active, [&](float* x, float* w, float* h0, float* c0, float* g,
            float* c, float* h) {
        emu::launchCooperative(lstm_cluster_forward_f32, dim3(CLUSTER_BLOCKS), dim3(clusterThreads(4, K, B, H)),
                clusterShared(4, K, B, H), x, w, h0, c0, g, c, h, T, B, H, K, dir.arg(), active.arg());
    });
}

// launch(xProj, w, bias, h0, gates, hProj, hidden) runs the kernel. A row that skips a step keeps its state and
// gates; its hProj is what the loop's fill leaves there, 0 + b_hh.
static void checkPersistentGru(int T, int B, int H, const Scheme& scheme, Direction dir, const Active& active,
        const std::function<void(float*, float*, float*, float*, float*, float*, float*)>& launch) {
    std::mt19937 rng(T * 100 + B * 10 + H + 1);
    auto xProj = randoms(rng, (size_t) T * B * 3 * H, 2), w = randoms(rng, (size_t) 3 * H * H, 0.5f);
    auto bias = randoms(rng, (size_t) 3 * H, 0.5f), h0 = randoms(rng, (size_t) B * H, 1);
    if (active.ragged()) bias[1] = -0.0f;  // 0 + b_hh turns it into +0.0f
    const float fill = active.ragged() ? NAN : dir.fill();
    std::vector<float> gates((size_t) T * B * 3 * H, fill), hProj((size_t) T * B * 3 * H, fill);
    if (active.ragged()) gates = xProj;
    std::vector<float> hidden(dir.stateBlocks(T) * B * H, fill);
    std::vector<float> eg = gates, ep = hProj, eh = hidden, hPrev = h0;
    launch(active.ragged() ? gates.data() : xProj.data(), w.data(), bias.data(), h0.data(), gates.data(),
            hProj.data(), hidden.data());

    for (int s = 0; s < T; s++) {
        const int t = dir.forwardTime(T, s);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                size_t row = (size_t) t * B + b;
                if (!active.runs(t, b)) {
                    for (int g = 0; g < 3; g++) ep[row * 3 * H + g * H + j] = 0.0f + bias[g * H + j];
                    eh[row * H + j] = hPrev[b * H + j];
                    continue;
                }
                const float* x = &xProj[row * 3 * H];
                float hp[3];
                for (int g = 0; g < 3; g++) hp[g] = scheme.dot(&w[(size_t) (g * H + j) * H], &hPrev[b * H], H) + bias[g * H + j];
                float r = sig(x[j] + hp[0]), z = sig(x[H + j] + hp[1]);
                float rh = r * hp[2];
                float n = th(x[2 * H + j] + rh);
                float diff = hPrev[b * H + j] - n;
                diff = z * diff;
                for (int g = 0; g < 3; g++) ep[row * 3 * H + g * H + j] = hp[g];
                eg[row * 3 * H + j] = r; eg[row * 3 * H + H + j] = z; eg[row * 3 * H + 2 * H + j] = n;
                eh[row * H + j] = n + diff;
            }
        hPrev.assign(eh.begin() + (size_t) t * B * H, eh.begin() + (size_t) (t + 1) * B * H);
    }
    std::string name = shape(T, B, H) + scheme.name + dir.name() + active.name();
    expectBits("gru_persistent gates" + name, eg, gates);
    expectBits("gru_persistent hProj" + name, ep, hProj);
    expectBits("gru_persistent hidden" + name, eh, hidden);
}

static void checkGridGru(int T, int B, int H, int U, Direction dir = FORWARD, const Active& active = ALL) {
    checkPersistentGru(T, B, H, grid(U), dir, active, [&](float* x, float* w, float* bias, float* h0, float* g,
            float* p, float* h) {
        unsigned int barrier[2] = {0, 0};
        emu::launchCooperative(gru_persistent_forward_f32, dim3(ceilDiv(H, U)), dim3(256), gridShared(3, U, B, H),
                x, w, bias, h0, g, p, h, T, B, H, U, dir.arg(), active.arg(), barrier);
    });
}

static void checkClusterGru(int T, int B, int H, int K, Direction dir = FORWARD, const Active& active = ALL) {
    checkPersistentGru(T, B, H, cluster(K), dir, active, [&](float* x, float* w, float* bias, float* h0, float* g,
            float* p, float* h) {
        emu::launchCooperative(gru_cluster_forward_f32, dim3(CLUSTER_BLOCKS), dim3(clusterThreads(3, K, B, H)),
                clusterShared(3, K, B, H), x, w, bias, h0, g, p, h, T, B, H, K, dir.arg(), active.arg());
    });
}

// launch(xProj, w, h0, hidden) runs the kernel. A row that skips a step keeps its state. xProj (the kernel only reads
// it) must stay as it was.
static void checkPersistentRnn(int T, int B, int H, bool relu, const Scheme& scheme, Direction dir,
        const Active& active, const std::function<void(float*, float*, float*, float*)>& launch) {
    std::mt19937 rng(T * 100 + B * 10 + H + 2);
    auto xProj = randoms(rng, (size_t) T * B * H, 2), w = randoms(rng, (size_t) H * H, 0.5f);
    auto h0 = randoms(rng, (size_t) B * H, 1);
    std::vector<float> hidden(dir.stateBlocks(T) * B * H, active.ragged() ? NAN : dir.fill());
    std::vector<float> eh = hidden, hPrev = h0, x = xProj;
    launch(x.data(), w.data(), h0.data(), hidden.data());
    for (int s = 0; s < T; s++) {
        const int t = dir.forwardTime(T, s);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                size_t row = (size_t) t * B + b;
                if (!active.runs(t, b)) {
                    eh[row * H + j] = hPrev[b * H + j];
                    continue;
                }
                float pre = xProj[row * H + j] + scheme.dot(&w[(size_t) j * H], &hPrev[b * H], H);
                eh[row * H + j] = relu ? (pre <= 0.0f ? 0.0f : pre) : th(pre);
            }
        hPrev.assign(eh.begin() + (size_t) t * B * H, eh.begin() + (size_t) (t + 1) * B * H);
    }
    std::string name = std::string(relu ? "relu" : "tanh") + shape(T, B, H) + scheme.name + dir.name() + active.name();
    expectBits("rnn_persistent " + name, eh, hidden);
    if (active.ragged()) expectBits("rnn_persistent leaves xProj alone " + name, xProj, x);
}

static void checkGridRnn(int T, int B, int H, int U, bool relu, Direction dir = FORWARD, const Active& active = ALL) {
    checkPersistentRnn(T, B, H, relu, grid(U), dir, active, [&](float* x, float* w, float* h0, float* h) {
        unsigned int barrier[2] = {0, 0};
        emu::launchCooperative(rnn_persistent_forward_f32, dim3(ceilDiv(H, U)), dim3(256), gridShared(1, U, B, H),
                x, w, h0, h, T, B, H, U, relu ? 1 : 0, dir.arg(), active.arg(), barrier);
    });
}

static void checkClusterRnn(int T, int B, int H, int K, bool relu, Direction dir = FORWARD,
        const Active& active = ALL) {
    checkPersistentRnn(T, B, H, relu, cluster(K), dir, active, [&](float* x, float* w, float* h0, float* h) {
        emu::launchCooperative(rnn_cluster_forward_f32, dim3(CLUSTER_BLOCKS), dim3(clusterThreads(1, K, B, H)),
                clusterShared(1, K, B, H), x, w, h0, h, T, B, H, K, relu ? 1 : 0, dir.arg(), active.arg());
    });
}

// ---------------------------------------------------------------- persistent backward (BPTT) on the cluster

// ClusterPlan's formulas for the backward kernels: U rows of W_hh^T per block, each G*H long, in chunks of K.
static size_t clusterBackwardShared(int G, int K, int B, int H) {
    int Bp = (B + 3) / 4 * 4, chunks = (int) ceilDiv(G * H, K), U = (int) ceilDiv(H, CLUSTER_BLOCKS);
    return (size_t) (2 * Bp * chunks * K + chunks * U * Bp) * sizeof(float);
}

static int clusterBackwardThreads(int G, int K, int B, int H) {
    int U = (int) ceilDiv(H, CLUSTER_BLOCKS);
    int work = std::max(U * (int) ceilDiv(G * H, K), U * B);
    return std::max(32, (int) ceilDiv(work, 32) * 32);
}

// Whether the host would launch the backward kernel (at most CLUSTER_MAX_THREADS threads; shared memory is
// generous at these shapes).
static bool clusterBackwardFits(int G, int K, int B, int H) {
    return clusterBackwardThreads(G, K, B, H) <= CLUSTER_MAX_THREADS && clusterBackwardShared(G, K, B, H) <= 227 * 1024;
}

// Columns of W_hh [G*H, H] as rows: wT[j * G*H + r] = W_hh[r, j], so chunkDot runs over r.
static std::vector<float> transposed(const std::vector<float>& w, int rows, int cols) {
    std::vector<float> t(w.size());
    for (int r = 0; r < rows; r++)
        for (int j = 0; j < cols; j++) t[(size_t) j * rows + r] = w[(size_t) r * cols + j];
    return t;
}

// rec[b, j] = chunkDot(dGates_t[b, :], W_hh[:, j]): the gradient reaching h_t through step t's gates.
static std::vector<float> throughWeights(const float* d, const std::vector<float>& wT, int B, int H, int G, int K) {
    std::vector<float> rec((size_t) B * H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) rec[(size_t) b * H + j] = chunkDot(&d[(size_t) b * G * H], &wT[(size_t) j * G * H], G * H, K);
    return rec;
}

// Activations as a forward leaves them: sigmoid outputs, or tanh outputs where tanhGate[g].
static std::vector<float> activations(std::mt19937& rng, int rows, int G, int H, const std::vector<bool>& tanhGate) {
    auto v = randoms(rng, (size_t) rows * G * H, 3);
    for (int r = 0; r < rows; r++)
        for (int g = 0; g < G; g++)
            for (int j = 0; j < H; j++) {
                float& x = v[((size_t) r * G + g) * H + j];
                x = tanhGate[g] ? th(x) : sig(x);
            }
    return v;
}

static std::string backwardName(int T, int B, int H, int K, bool withOutput, Direction dir, const Active& active) {
    return shape(T, B, H) + " cluster K=" + std::to_string(K) + (withOutput ? " dOutput" : " no dOutput") + dir.name()
            + active.name();
}

// The backward references follow the SPI's per-step loop, with the cluster's dot products: step by step in the
// opposite order of the forward, dh (dL/dh of the state the step wrote) plus dOutput_t into the pointwise backward of
// the rows that run the step (active), whose gate gradients through W_hh are then their dL/dh of the state the step
// read. A row that skips the step takes nothing from it: its dh (and dc) pass on unchanged, its gradient outputs
// (NaN before the launch) stay as they were.

static void checkClusterLstmBackward(int T, int B, int H, int K, bool withOutput, Direction dir = FORWARD,
        const Active& active = ALL) {
    if (!clusterBackwardFits(4, K, B, H)) return;
    std::mt19937 rng(T * 1000 + B * 100 + H * 10 + K + withOutput);
    auto gates = activations(rng, T * B, 4, H, {false, false, true, false});
    auto w = randoms(rng, (size_t) 4 * H * H, 0.5f), cells = randoms(rng, (size_t) (T + 1) * B * H, 1.5f);
    auto dOutput = randoms(rng, (size_t) T * B * H, 1), dh0 = randoms(rng, (size_t) B * H, 1);
    auto dc0 = randoms(rng, (size_t) B * H, 1);
    std::vector<float> dGates((size_t) T * B * 4 * H, NAN), dHidden = dh0, dCell = dc0;
    emu::launchCooperative(lstm_cluster_backward_f32, dim3(CLUSTER_BLOCKS), dim3(clusterBackwardThreads(4, K, B, H)),
            clusterBackwardShared(4, K, B, H), (const float*) gates.data(), (const float*) w.data(),
            (const float*) cells.data(), (const float*) (withOutput ? dOutput.data() : nullptr), dGates.data(),
            dHidden.data(), dCell.data(), T, B, H, K, dir.arg(), active.arg());

    auto wT = transposed(w, 4 * H, H);
    std::vector<float> eg = dGates, dh = dh0, dc = dc0;
    for (int step = 0; step < T; step++) {
        const int t = dir.backwardTime(T, step);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                if (!active.runs(t, b)) continue;  // dh and dc pass the step unchanged
                size_t s = (size_t) t * B * H + b * H + j, q = ((size_t) t * B + b) * 4 * H + j, e = (size_t) b * H + j;
                float d = withOutput ? dh[e] + dOutput[s] : dh[e];
                float i = gates[q], f = gates[q + H], gg = gates[q + 2 * H], o = gates[q + 3 * H];
                float cPrev = cells[dir.read(t) * B * H + e], c = cells[dir.written(t) * B * H + e];
                float tc = th(c);
                float dct = d * o;
                dct = thGrad(tc, dct);
                dct = dct + dc[e];
                eg[q] = sigGrad(i, dct * gg);
                eg[q + H] = sigGrad(f, dct * cPrev);
                eg[q + 2 * H] = thGrad(gg, dct * i);
                eg[q + 3 * H] = sigGrad(o, d * tc);
                dc[e] = dct * f;
            }
        auto rec = throughWeights(&eg[(size_t) t * B * 4 * H], wT, B, H, 4, K);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++)
                if (active.runs(t, b)) dh[(size_t) b * H + j] = rec[(size_t) b * H + j];
    }
    std::string name = backwardName(T, B, H, K, withOutput, dir, active);
    expectBits("lstm_cluster_backward dGates" + name, eg, dGates);
    expectBits("lstm_cluster_backward dHidden" + name, dh, dHidden);
    expectBits("lstm_cluster_backward dCell" + name, dc, dCell);
}

static void checkClusterGruBackward(int T, int B, int H, int K, bool withOutput, Direction dir = FORWARD,
        const Active& active = ALL) {
    if (!clusterBackwardFits(3, K, B, H)) return;
    std::mt19937 rng(T * 1000 + B * 100 + H * 10 + K + withOutput + 7);
    auto gates = activations(rng, T * B, 3, H, {false, false, true});
    auto hProj = randoms(rng, (size_t) T * B * 3 * H, 2), w = randoms(rng, (size_t) 3 * H * H, 0.5f);
    auto states = randoms(rng, (size_t) (T + 1) * B * H, 1);
    auto dOutput = randoms(rng, (size_t) T * B * H, 1), dh0 = randoms(rng, (size_t) B * H, 1);
    std::vector<float> dGates((size_t) T * B * 3 * H, NAN), dHProj((size_t) T * B * 3 * H, NAN), dHidden = dh0;
    emu::launchCooperative(gru_cluster_backward_f32, dim3(CLUSTER_BLOCKS), dim3(clusterBackwardThreads(3, K, B, H)),
            clusterBackwardShared(3, K, B, H), (const float*) gates.data(), (const float*) hProj.data(),
            (const float*) w.data(), (const float*) states.data(),
            (const float*) (withOutput ? dOutput.data() : nullptr), dGates.data(), dHProj.data(), dHidden.data(), T, B,
            H, K, dir.arg(), active.arg());

    auto wT = transposed(w, 3 * H, H);
    std::vector<float> eg = dGates, ep = dHProj, dh = dh0, dhz((size_t) B * H);
    for (int step = 0; step < T; step++) {
        const int t = dir.backwardTime(T, step);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                if (!active.runs(t, b)) continue;  // dh passes the step unchanged
                size_t s = (size_t) t * B * H + b * H + j, q = ((size_t) t * B + b) * 3 * H + j, e = (size_t) b * H + j;
                float d = withOutput ? dh[e] + dOutput[s] : dh[e];
                float r = gates[q], z = gates[q + H], n = gates[q + 2 * H], hn = hProj[q + 2 * H];
                float hPrev = states[dir.read(t) * B * H + e];
                dhz[e] = d * z;
                float dN = thGrad(n, d - dhz[e]);
                float dZ = sigGrad(z, d * (hPrev - n));
                float dR = sigGrad(r, dN * hn);
                eg[q] = dR; eg[q + H] = dZ; eg[q + 2 * H] = dN;
                ep[q] = dR; ep[q + H] = dZ; ep[q + 2 * H] = dN * r;
            }
        // dh = z * dh, then the product added (the loop's GEMM with beta 1)
        auto rec = throughWeights(&ep[(size_t) t * B * 3 * H], wT, B, H, 3, K);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++)
                if (active.runs(t, b)) dh[(size_t) b * H + j] = rec[(size_t) b * H + j] + dhz[(size_t) b * H + j];
    }
    std::string name = backwardName(T, B, H, K, withOutput, dir, active);
    expectBits("gru_cluster_backward dGates" + name, eg, dGates);
    expectBits("gru_cluster_backward dHProj" + name, ep, dHProj);
    expectBits("gru_cluster_backward dHidden" + name, dh, dHidden);
}

static void checkClusterRnnBackward(int T, int B, int H, int K, bool withOutput, bool relu,
        Direction dir = FORWARD, const Active& active = ALL) {
    if (!clusterBackwardFits(1, K, B, H)) return;
    std::mt19937 rng(T * 1000 + B * 100 + H * 10 + K + withOutput + relu * 2 + 13);
    auto w = randoms(rng, (size_t) H * H, 0.5f), states = randoms(rng, (size_t) (T + 1) * B * H, 1);
    if (relu) for (auto& h : states) h = h <= 0.0f ? 0.0f : h;  // relu outputs: about half exactly zero
    auto dOutput = randoms(rng, (size_t) T * B * H, 1), dh0 = randoms(rng, (size_t) B * H, 1);
    std::vector<float> dGates((size_t) T * B * H, NAN), dHidden = dh0;
    emu::launchCooperative(rnn_cluster_backward_f32, dim3(CLUSTER_BLOCKS), dim3(clusterBackwardThreads(1, K, B, H)),
            clusterBackwardShared(1, K, B, H), (const float*) w.data(), (const float*) states.data(),
            (const float*) (withOutput ? dOutput.data() : nullptr), dGates.data(), dHidden.data(), T, B, H, K,
            relu ? 1 : 0, dir.arg(), active.arg());

    auto wT = transposed(w, H, H);
    std::vector<float> eg = dGates, dh = dh0;
    for (int step = 0; step < T; step++) {
        const int t = dir.backwardTime(T, step);
        for (int e = 0; e < B * H; e++) {
            if (!active.runs(t, e / H)) continue;  // dh passes the step unchanged
            size_t s = (size_t) t * B * H + e;
            float d = withOutput ? dh[e] + dOutput[s] : dh[e];
            float h = states[dir.written(t) * B * H + e];
            eg[s] = relu ? (h > 0.0f ? d : 0.0f) : thGrad(h, d);
        }
        auto rec = throughWeights(&eg[(size_t) t * B * H], wT, B, H, 1, K);
        for (int e = 0; e < B * H; e++)
            if (active.runs(t, e / H)) dh[e] = rec[e];
    }
    std::string name = std::string(relu ? " relu" : " tanh") + backwardName(T, B, H, K, withOutput, dir, active);
    expectBits("rnn_cluster_backward dGates" + name, eg, dGates);
    expectBits("rnn_cluster_backward dHidden" + name, dh, dHidden);
}

// The cluster kernels' race check (run under ThreadSanitizer by KernelEmulationTest): a few shapes of every cluster
// kernel, both directions, every row and a batch of several lengths, the largest batch. Their blocks exchange values
// only through each other's shared memory, ordered by the cluster barrier, which the emulation builds from
// std::barrier, so ThreadSanitizer sees every such exchange that a barrier does not order. The grid kernels are left
// out: they order their steps with __threadfence and a polled counter in global memory, which it does not model.
static void checkClusterKernelsForRaces() {
    const Active ragged{{5, 4, 4, 2, 1}};
    for (Direction dir : {FORWARD, REVERSE})
        for (const Active* a : {&ALL, &ragged}) {
            checkClusterLstm(5, 5, 13, 8, dir, *a);
            checkClusterGru(5, 5, 37, 16, dir, *a);
            checkClusterRnn(5, 5, 21, 32, a == &ALL, dir, *a);
            checkClusterLstmBackward(5, 5, 13, 32, true, dir, *a);
            checkClusterGruBackward(5, 5, 13, 8, a == &ALL, dir, *a);
            checkClusterRnnBackward(5, 5, 21, 16, true, a != &ALL, dir, *a);
        }
    checkClusterLstm(3, 16, 40, 16);
    checkClusterLstmBackward(3, 16, 64, 32, true);  // the largest batch: products in two passes of 8 rows
}

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--cluster-races") {
        checkClusterKernelsForRaces();
        std::printf("%d failed\n", failures);
        return failures == 0 ? 0 : 1;
    }
    for (bool ta : {false, true})
        for (bool tb : {false, true}) {
            checkGemm(ta, tb, 1, 1, 1, Variant::Skinny);
            checkGemm(ta, tb, 1, 45, 50, Variant::Skinny);
            checkGemm(ta, tb, 8, 33, 70, Variant::Skinny);
            checkGemm(ta, tb, 67, 70, 33, Variant::Tile64);
            checkGemm(ta, tb, 130, 64, 16, Variant::Tile64);
            checkGemm(ta, tb, 9, 5, 3, Variant::Tile64);
            checkGemm(ta, tb, 1, 1, 1, Variant::Tile128);
            checkGemm(ta, tb, 130, 257, 21, Variant::Tile128);
            checkGemm(ta, tb, 128, 128, 8, Variant::Tile128);
            checkGemmV2Cases(V2_KERNEL(128, 128, ta, tb), 128, 128, ta, tb);
            checkGemmV2Cases(V2_KERNEL(128, 64, ta, tb), 128, 64, ta, tb);
            checkGemmV2Cases(V2_KERNEL(64, 64, ta, tb), 64, 64, ta, tb);
        }
    checkGemmBetaZeroIgnoresC();
    checkGemmShapesOfTheKit();
    checkElementwise();
    checkElementwise128();
    checkReductions();
    checkEmbeddings();
    checkSoftmax();
    checkLstm();
    checkGru();
    checkAdam();
    checkGridLstm(4, 1, 40, 16);  // 3 blocks, the last owning 8 units
    checkGridLstm(3, 3, 33, 33);  // 1 block
    checkGridLstm(3, 8, 16, 8);   // 2 blocks
    checkGridGru(4, 2, 40, 16);
    checkGridRnn(4, 3, 70, 32, false);
    checkGridRnn(3, 8, 33, 11, true);
    checkClusterLstm(3, 16, 40, 16);  // 5 units per block, 3 chunks (the last one padded), the largest batch
    checkClusterLstm(4, 1, 5, 8);     // blocks 5-7 own no unit; one padded chunk
    checkClusterGru(3, 6, 37, 8);     // a padding batch row; the last block owns 2 of its 5 units
    checkClusterGru(2, 2, 64, 32);
    checkClusterRnn(4, 3, 70, 16, false);
    checkClusterRnn(3, 16, 9, 32, true);
    checkClusterRnn(3, 11, 64, 8, false);  // more (unit, batch row) pairs than (row, chunk) pairs: 88 threads
    // Backward: ragged shapes (H not a multiple of 8 or of K, B not of 4) at every chunk width that fits, the
    // output gradient present and absent; the last block owning fewer units; blocks owning none (H = 5).
    for (int K : {8, 16, 32}) {
        checkClusterLstmBackward(5, 3, 13, K, K != 16);
        checkClusterLstmBackward(4, 6, 40, K, K != 8);
        checkClusterGruBackward(5, 3, 13, K, K == 16);
        checkClusterGruBackward(4, 6, 40, K, K != 32);
        checkClusterRnnBackward(5, 3, 13, K, K != 32, K == 16);
        checkClusterRnnBackward(4, 6, 40, K, K == 8, K != 8);
    }
    checkClusterLstmBackward(4, 1, 5, 8, true);     // blocks 5-7 own no unit; 20-wide rows in 3 chunks
    checkClusterLstmBackward(3, 16, 64, 32, true);  // the largest batch: products in two passes of 8 rows
    checkClusterLstmBackward(1, 2, 24, 16, false);  // one step: no product inside the loop
    checkClusterGruBackward(3, 16, 37, 8, true);    // 5 units per block, 14 chunks: 70 threads, 80 (unit, row) pairs
    checkClusterGruBackward(1, 5, 9, 32, true);
    checkClusterRnnBackward(3, 11, 64, 8, true, false);  // more (unit, batch row) pairs than (row, chunk) pairs
    checkClusterRnnBackward(3, 16, 9, 32, false, true);
    // Reversed (t = T-1 down to 0, the backward 0 up to T-1): the forwards on both schemes over the shapes above and
    // one step (T = 1), H not a multiple of 8, odd batches, chunk widths 8, 16 and 32.
    checkGridLstm(4, 1, 40, 16, REVERSE);
    checkGridLstm(1, 3, 33, 33, REVERSE);
    checkGridLstm(3, 8, 16, 8, REVERSE);
    checkGridGru(4, 2, 40, 16, REVERSE);
    checkGridGru(1, 5, 13, 8, REVERSE);
    checkGridRnn(4, 3, 70, 32, false, REVERSE);
    checkGridRnn(3, 8, 33, 11, true, REVERSE);
    checkGridRnn(1, 7, 9, 4, true, REVERSE);
    checkClusterLstm(3, 16, 40, 16, REVERSE);
    checkClusterLstm(4, 1, 5, 8, REVERSE);
    checkClusterLstm(1, 3, 13, 32, REVERSE);
    checkClusterGru(3, 6, 37, 8, REVERSE);
    checkClusterGru(2, 2, 64, 32, REVERSE);
    checkClusterGru(1, 5, 13, 16, REVERSE);
    checkClusterRnn(4, 3, 70, 16, false, REVERSE);
    checkClusterRnn(3, 16, 9, 32, true, REVERSE);
    checkClusterRnn(3, 11, 64, 8, false, REVERSE);
    checkClusterRnn(1, 7, 21, 8, true, REVERSE);
    // The backwards of the reversed forwards: the ragged shape at the narrowest and widest chunk with and without
    // dOutput (the RNN at every pairing of tanh or relu with dOutput present or absent), then one step, blocks
    // owning no unit, the largest batch, more (unit, batch row) pairs than (row, chunk) pairs.
    for (int K : {8, 32})
        for (bool withOutput : {false, true}) {
            checkClusterLstmBackward(5, 3, 13, K, withOutput, REVERSE);
            checkClusterGruBackward(5, 3, 13, K, withOutput, REVERSE);
            checkClusterRnnBackward(5, 3, 13, K, withOutput, withOutput == (K == 8), REVERSE);
        }
    checkClusterLstmBackward(1, 2, 24, 16, true, REVERSE);
    checkClusterLstmBackward(4, 1, 5, 8, false, REVERSE);
    checkClusterLstmBackward(3, 16, 64, 32, true, REVERSE);
    checkClusterGruBackward(1, 5, 9, 32, false, REVERSE);
    checkClusterGruBackward(4, 6, 40, 16, true, REVERSE);
    checkClusterGruBackward(3, 16, 37, 8, false, REVERSE);
    checkClusterRnnBackward(1, 7, 11, 16, true, true, REVERSE);
    checkClusterRnnBackward(4, 6, 40, 16, false, false, REVERSE);
    checkClusterRnnBackward(3, 11, 64, 8, true, false, REVERSE);
    // Variable-length batches (active, counts indexed by time step), all nine kernels in both directions. B = 5
    // (odd), H not a multiple of 8, over three count sequences: non-increasing (the batch sorted longest first:
    // reversed, the rows join as the steps go), with zeros (no row at the first step processed in either direction,
    // nor at the last), and non-monotone; each at a narrow and a wide chunk (cluster) or block (grid), the RNN with
    // tanh and relu, the backwards with and without dOutput.
    const std::vector<Active> ragged = {{{5, 4, 4, 2, 1}}, {{0, 3, 3, 1, 0}}, {{2, 5, 1, 4, 3}}};
    for (Direction dir : {FORWARD, REVERSE})
        for (size_t i = 0; i < ragged.size(); i++) {
            const Active& a = ragged[i];
            const bool wide = (i % 2 == 0) == dir.reverse;
            checkGridLstm(5, 5, 13, wide ? 13 : 8, dir, a);  // 1 or 2 blocks
            checkGridGru(5, 5, 37, wide ? 32 : 16, dir, a);
            checkGridRnn(5, 5, 70, wide ? 64 : 16, !wide, dir, a);  // 64: 320 (unit, row) pairs, 256 threads
            checkClusterLstm(5, 5, 13, wide ? 32 : 8, dir, a);
            checkClusterGru(5, 5, 37, wide ? 16 : 8, dir, a);
            checkClusterRnn(5, 5, 21, wide ? 32 : 8, wide, dir, a);
            for (bool withOutput : {false, true}) {
                checkClusterLstmBackward(5, 5, 13, wide ? 32 : 8, withOutput, dir, a);
                checkClusterGruBackward(5, 5, 13, wide ? 16 : 8, withOutput, dir, a);
                checkClusterRnnBackward(5, 5, 21, wide ? 32 : 8, withOutput, withOutput != wide, dir, a);
            }
        }
    // One step (T = 1) with no row, some rows and every row running; then larger batches: more (unit, batch row)
    // pairs than (row, chunk) pairs, products in two passes of 8 rows, blocks owning no unit.
    for (Direction dir : {FORWARD, REVERSE})
        for (int n : {0, 2, 3}) {
            const Active a{{n}};
            const bool withOutput = (n == 2) != dir.reverse;
            checkGridLstm(1, 3, 13, 8, dir, a);
            checkGridGru(1, 3, 13, 16, dir, a);
            checkGridRnn(1, 3, 13, 8, n == 2, dir, a);
            checkClusterLstm(1, 3, 13, 16, dir, a);
            checkClusterGru(1, 3, 13, 8, dir, a);
            checkClusterRnn(1, 3, 13, 32, n != 2, dir, a);
            checkClusterLstmBackward(1, 3, 13, 8, withOutput, dir, a);
            checkClusterGruBackward(1, 3, 13, 32, !withOutput, dir, a);
            checkClusterRnnBackward(1, 3, 13, 16, withOutput, n == 0, dir, a);
        }
    for (Direction dir : {FORWARD, REVERSE}) {
        const Active eleven{{11, 7, 7, 2}}, sixteen{{16, 9, 0}}, one{{1, 0, 1, 1}};
        checkGridRnn(4, 11, 70, 32, false, dir, eleven);
        checkClusterRnn(4, 11, 64, 8, true, dir, eleven);
        checkClusterRnnBackward(4, 11, 64, 8, true, dir.reverse, dir, eleven);
        checkGridLstm(3, 16, 40, 16, dir, sixteen);
        checkClusterLstm(3, 16, 40, 16, dir, sixteen);
        checkClusterLstmBackward(3, 16, 64, 32, !dir.reverse, dir, sixteen);
        checkClusterGru(3, 16, 37, 8, dir, sixteen);
        checkClusterGruBackward(3, 16, 37, 8, dir.reverse, dir, sixteen);
        checkClusterLstm(4, 1, 5, 8, dir, one);
        checkClusterLstmBackward(4, 1, 5, 8, true, dir, one);
        checkGridGru(4, 1, 5, 4, dir, one);
    }
    std::printf("%d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
