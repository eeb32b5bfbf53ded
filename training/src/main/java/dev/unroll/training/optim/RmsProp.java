package dev.unroll.training.optim;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.training.nn.NamedParameter;

/**
 * {@code torch.optim.RMSprop} (not centered, no momentum): {@code g = grad + wd * p};
 * {@code s = alpha * s + (1 - alpha) g^2}; {@code p -= lr * g / (sqrt(s) + eps)}.
 */
public final class RmsProp extends SlotOptimizer {
    public RmsProp(OptimizerConfig config) {
        super(config, OptimizerConfig.Kind.RMSPROP);
    }

    @Override
    void update(NamedParameter p, double learningRate, long step) {
        Backend be = p.value().backend();
        double alpha = config().alpha();
        Tensor g = decayedGradient(p);
        Tensor squareAvg = slot("square_avg", p);
        Tensor work = scratch("work", p);
        be.mul(g, g, work);
        be.scale(alpha, squareAvg, squareAvg);
        be.axpy(1 - alpha, work, squareAvg);
        be.sqrt(squareAvg, work);
        be.addScalar(work, config().epsilon(), work);
        be.div(g, work, work);
        be.axpy(-learningRate, work, p.value());
    }
}
