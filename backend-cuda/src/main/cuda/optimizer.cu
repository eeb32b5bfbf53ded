// nvcc-flags: -fmad=false
//
// One fused Adam step (PyTorch's torch.optim.Adam with L2 weight decay), element-wise. The host computes
// the step's scalars in double and rounds each to float exactly where the composite path
// (dev.unroll.api.CompositeSteps.adam) passes it to a primitive, so both paths round identically.
#include "scalar_math.cuh"

extern "C" __global__ void adam_f32(float* param, const float* grad, float* m, float* v, int n, int hasDecay,
                                    float weightDecay, float beta1, float oneMinusBeta1, float beta2,
                                    float oneMinusBeta2, float invSqrtCorrection2, float eps, float stepSize) {
    UNROLL_FOR_EACH(i, n) {
        float p = param[i];
        float g = grad[i];
        if (hasDecay) {
            g = g + weightDecay * p;
        }
        float mv = beta1 * m[i];
        mv = mv + oneMinusBeta1 * g;
        float vv = beta2 * v[i];
        vv = vv + oneMinusBeta2 * (g * g);
        float denominator = invSqrtCorrection2 * sqrtf(vv);
        denominator = denominator + eps;
        m[i] = mv;
        v[i] = vv;
        param[i] = p + stepSize * (mv / denominator);
    }
}
