package dev.unroll.training.optim;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.training.nn.NamedParameter;

/**
 * {@code torch.optim.SGD} without dampening or Nesterov: {@code g = grad + wd * p}; with momentum
 * {@code buf = g} on the first step, then {@code buf = momentum * buf + g}, and {@code g = buf};
 * {@code p -= lr * g}.
 */
public final class Sgd extends SlotOptimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    public Sgd(OptimizerConfig config) {
        super(config, OptimizerConfig.Kind.SGD);
    }

    @Override
    void update(NamedParameter p, double learningRate, long step) {
        Backend be = p.value().backend();
        Tensor g = decayedGradient(p);
        double momentum = config().momentum();
        if (momentum != 0) {
            boolean first = !hasSlot(MOMENTUM_BUFFER, p);
            Tensor buf = slot(MOMENTUM_BUFFER, p);
            if (first) {
                be.copy(g, buf);
            } else {
                be.scale(momentum, buf, buf);
                be.axpy(1.0, g, buf);
            }
            g = buf;
        }
        be.axpy(-learningRate, g, p.value());
    }
}
