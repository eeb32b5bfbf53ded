// Is oneDNN's matmul primitive on weights packed once faster than dnnl_sgemm on the transposed copy the cpu
// backend multiplies by today? One thread, the recurrent layers' per-step product shapes; numbers in
// docs/PERFORMANCE.md ("Known gaps"). Not part of the build (it needs oneDNN's C++ headers):
//   apt-get install libdnnl-dev
//   g++ -O2 -std=c++17 benchmarks/scripts/onednn_packed_vs_sgemm.cpp -ldnnl -o /tmp/mm && OMP_NUM_THREADS=1 /tmp/mm
#include <dnnl.hpp>
#include <chrono>
#include <cstdio>
#include <vector>
#include <random>
using namespace dnnl;
using tag = memory::format_tag; using dt = memory::data_type;
static double now() { return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
int main() {
    engine eng(engine::kind::cpu, 0); stream s(eng);
    int shapes[][3] = {{16,128,512},{16,128,384},{1,256,1024},{64,512,2048},{32,1024,4096},{64,2048,512},{16,512,128},
                       {32,128,512},{64,128,512},{32,256,1024},{64,256,1024},{64,512,512},{64,512,1536},{32,1024,1024},
                       {32,1024,3072},{128,512,2048}};
    std::mt19937 rng(1); std::uniform_real_distribution<float> u(-1,1);
    for (auto& sh : shapes) {
        int M = sh[0], K = sh[1], N = sh[2];
        std::vector<float> A(M*K), W(K*N), C(M*N), C2(M*N);
        for (auto& x : A) x = u(rng); for (auto& x : W) x = u(rng);
        int reps = std::max(20, (int)(2e8 / (2.0*M*K*N)));
        // sgemm NN on W [K,N] row-major
        for (int i = 0; i < 5; i++) dnnl_sgemm('N','N',M,N,K,1.f,A.data(),K,W.data(),N,0.f,C.data(),N);
        double t0 = now();
        for (int i = 0; i < reps; i++) dnnl_sgemm('N','N',M,N,K,1.f,A.data(),K,W.data(),N,0.f,C.data(),N);
        double sg = (now()-t0)/reps;
        // matmul primitive with packed weights
        memory::desc amd({M,K}, dt::f32, tag::ab), wany({K,N}, dt::f32, tag::any), cmd({M,N}, dt::f32, tag::ab);
        memory::desc wab({K,N}, dt::f32, tag::ab);
        auto pd = matmul::primitive_desc(matmul::desc(amd, wany, cmd), eng);
        memory Wsrc(wab, eng, W.data()), Wp(pd.weights_desc(), eng);
        reorder(Wsrc, Wp).execute(s, Wsrc, Wp); s.wait();
        memory Am(amd, eng, A.data()), Cm(cmd, eng, C2.data());
        matmul mm(pd);
        for (int i = 0; i < 5; i++) mm.execute(s, {{DNNL_ARG_SRC, Am},{DNNL_ARG_WEIGHTS, Wp},{DNNL_ARG_DST, Cm}});
        s.wait();
        t0 = now();
        for (int i = 0; i < reps; i++) mm.execute(s, {{DNNL_ARG_SRC, Am},{DNNL_ARG_WEIGHTS, Wp},{DNNL_ARG_DST, Cm}});
        s.wait();
        double mp = (now()-t0)/reps;
        // matmul primitive on plain weights (ab)
        auto pd2 = matmul::primitive_desc(matmul::desc(amd, wab, cmd), eng);
        matmul mm2(pd2);
        for (int i = 0; i < 5; i++) mm2.execute(s, {{DNNL_ARG_SRC, Am},{DNNL_ARG_WEIGHTS, Wsrc},{DNNL_ARG_DST, Cm}});
        t0 = now();
        for (int i = 0; i < reps; i++) mm2.execute(s, {{DNNL_ARG_SRC, Am},{DNNL_ARG_WEIGHTS, Wsrc},{DNNL_ARG_DST, Cm}});
        s.wait();
        double mpab = (now()-t0)/reps;
        double maxd = 0; for (int i = 0; i < M*N; i++) maxd = std::max(maxd, (double)std::abs(C[i]-C2[i]));
        std::printf("M=%4d K=%4d N=%4d  sgemm %8.2f us  matmul(packed %s) %8.2f us  matmul(ab) %8.2f us  packed/sgemm %.2f  maxdiff %.1e\n",
                    M, K, N, sg, pd.impl_info_str(), mp, mpab, mp/sg, maxd);
    }
}
