package dev.unroll.training.optim;

import dev.unroll.training.io.HostTensor;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A host copy of an optimizer's state.
 *
 * @param kind  the optimizer that wrote it
 * @param steps updates done (Adam's bias correction counts from it)
 * @param slots buffers named {@code slot/parameterName}, PyTorch's slot names: {@code momentum_buffer},
 *              {@code exp_avg}, {@code exp_avg_sq}, {@code square_avg}; sorted by name, so a checkpoint lists
 *              them in the same order in every run
 */
public record OptimizerState(OptimizerConfig.Kind kind, long steps, Map<String, HostTensor> slots) {
    public OptimizerState {
        slots = Collections.unmodifiableMap(new TreeMap<>(slots)); // Map.copyOf's order changes between runs
    }
}
