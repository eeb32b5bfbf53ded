package dev.unroll.training.optim;

import dev.unroll.api.Tensor;
import dev.unroll.training.io.HostTensor;
import dev.unroll.training.nn.NamedParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state keeping shared by the optimizers: named buffers shaped like their parameter, created on first use
 * (zero-filled, or from a restored state), and scratch tensors that are not state.
 */
abstract class SlotOptimizer implements Optimizer {
    private final OptimizerConfig config;
    private final Map<String, Tensor> slots = new LinkedHashMap<>();
    private final Map<String, Tensor> scratch = new LinkedHashMap<>();
    private Map<String, HostTensor> restored = Map.of();
    private long steps;

    SlotOptimizer(OptimizerConfig config, OptimizerConfig.Kind expected) {
        if (config.kind() != expected) {
            throw new IllegalArgumentException("config is for " + config.kind() + ", not " + expected);
        }
        this.config = config;
    }

    @Override
    public OptimizerConfig config() {
        return config;
    }

    @Override
    public final void step(List<NamedParameter> parameters, double learningRate) {
        steps++;
        for (NamedParameter p : parameters) {
            update(p, learningRate, steps);
        }
    }

    /** Updates one parameter; {@code step} is 1-based. */
    abstract void update(NamedParameter p, double learningRate, long step);

    /** Whether the slot exists yet (from an earlier step or a restored state). */
    boolean hasSlot(String slot, NamedParameter p) {
        String key = slot + "/" + p.name();
        return slots.containsKey(key) || restored.containsKey(key);
    }

    /** The named buffer of {@code p}, zero-filled or restored on first use. */
    Tensor slot(String slot, NamedParameter p) {
        String key = slot + "/" + p.name();
        Tensor t = slots.get(key);
        if (t == null) {
            HostTensor saved = restored.get(key);
            t = p.value().backend().allocate(p.value().dtype(), p.value().shape());
            if (saved != null) {
                saved.copyInto(t, "optimizer state " + key);
            }
            slots.put(key, t);
        }
        return t;
    }

    /** A scratch tensor shaped like {@code p}, reused across steps; its contents are garbage. */
    Tensor scratch(String use, NamedParameter p) {
        return scratch.computeIfAbsent(use + "/" + p.name(),
                k -> p.value().backend().allocate(p.value().dtype(), p.value().shape()));
    }

    /** {@code grad + weightDecay * param} in a scratch tensor, or the gradient itself without decay. */
    Tensor decayedGradient(NamedParameter p) {
        if (config.weightDecay() == 0) {
            return p.grad();
        }
        Tensor g = scratch("decayed_grad", p);
        p.value().backend().copy(p.grad(), g);
        p.value().backend().axpy(config.weightDecay(), p.value(), g);
        return g;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public OptimizerState state() {
        Map<String, HostTensor> host = new TreeMap<>(restored);
        slots.forEach((k, t) -> host.put(k, HostTensor.of(t)));
        return new OptimizerState(config.kind(), steps, host);
    }

    @Override
    public void restore(OptimizerState state) {
        if (state.kind() != config.kind()) {
            throw new IllegalArgumentException("Cannot restore " + state.kind() + " optimizer state into "
                    + config.kind());
        }
        slots.values().forEach(Tensor::close);
        slots.clear();
        restored = Map.copyOf(state.slots());
        steps = state.steps();
    }

    @Override
    public void close() {
        slots.values().forEach(Tensor::close);
        scratch.values().forEach(Tensor::close);
        slots.clear();
        scratch.clear();
    }
}
