package dev.unroll.training.optim;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.training.nn.NamedParameter;

/**
 * {@code torch.optim.RMSprop} (not centered): {@code g = grad + wd * p};
 * {@code s = alpha * s + (1 - alpha) g^2}; {@code d = g / (sqrt(s) + eps)}; without momentum
 * {@code p -= lr * d}; with momentum {@code buf = momentum * buf + d} (torch zero-initialises this buffer; SGD's
 * starts as a copy of {@code g}) and {@code p -= lr * buf}.
 */
public final class RmsProp extends SlotOptimizer {
    public RmsProp(OptimizerConfig config) {
        super(config, OptimizerConfig.Kind.RMSPROP);
    }

    @Override
    void update(NamedParameter p, double learningRate, long step) {
        Backend be = p.value().backend();
        double alpha = config().alpha();
        double momentum = config().momentum();
        Tensor g = decayedGradient(p);
        Tensor squareAvg = slot("square_avg", p);
        Tensor work = scratch("work", p);
        be.mul(g, g, work);
        be.scale(alpha, squareAvg, squareAvg);
        be.axpy(1 - alpha, work, squareAvg);
        be.sqrt(squareAvg, work);
        be.addScalar(work, config().epsilon(), work);
        be.div(g, work, work);
        if (momentum != 0) {
            // torch keeps this buffer under the same name as SGD's, zero-initialized.
            Tensor buf = slot(Sgd.MOMENTUM_BUFFER, p);
            be.scale(momentum, buf, buf);
            be.axpy(1.0, work, buf);
            work = buf;
        }
        be.axpy(-learningRate, work, p.value());
    }
}
