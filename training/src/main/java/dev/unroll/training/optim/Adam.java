package dev.unroll.training.optim;

import dev.unroll.training.nn.NamedParameter;

/** {@code torch.optim.Adam} through the backend's fused {@code adamUpdate} (see its Javadoc for the formula). */
public final class Adam extends SlotOptimizer {
    public Adam(OptimizerConfig config) {
        super(config, OptimizerConfig.Kind.ADAM);
    }

    @Override
    void update(NamedParameter p, double learningRate, long step) {
        OptimizerConfig c = config();
        p.value().backend().adamUpdate(p.value(), p.grad(), slot("exp_avg", p), slot("exp_avg_sq", p),
                learningRate, c.beta1(), c.beta2(), c.epsilon(), c.weightDecay(), step);
    }
}
