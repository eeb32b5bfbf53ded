package dev.unroll.cli.demo;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.training.nn.NamedParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain Adam (PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, no weight decay) through the backend's
 * fused {@link Backend#adamUpdate}: the demo's optimizer, kept minimal and local so that the demo depends on
 * nothing but the SPI, the cells and the training library's layers.
 */
final class Adam implements AutoCloseable {
    private final Backend backend;
    private final List<NamedParameter> parameters;
    private final List<Tensor> firstMoments = new ArrayList<>();
    private final List<Tensor> secondMoments = new ArrayList<>();
    private final double learningRate;
    private long step;

    Adam(Backend backend, List<NamedParameter> parameters, double learningRate) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        for (NamedParameter p : parameters) {
            firstMoments.add(backend.allocate(p.value().dtype(), p.value().shape()));
            secondMoments.add(backend.allocate(p.value().dtype(), p.value().shape()));
        }
    }

    void step() {
        step++;
        for (int i = 0; i < parameters.size(); i++) {
            NamedParameter p = parameters.get(i);
            backend.adamUpdate(p.value(), p.grad(), firstMoments.get(i), secondMoments.get(i), learningRate,
                    0.9, 0.999, 1e-8, 0.0, step);
        }
    }

    @Override
    public void close() {
        firstMoments.forEach(Tensor::close);
        secondMoments.forEach(Tensor::close);
    }
}
