package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every device buffer of a forward and backward pass over sequences of one shape {@code (T, B)}. A
 * {@link RecurrentPass} borrows one and gives it back to its stack when closed, so a training loop over
 * batches of one shape allocates nothing after its first step. Sorted-order buffers follow {@link BatchOrder};
 * the pass's results are in the caller's batch order.
 */
final class Workspace implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final RecurrentConfig config;
    private final int steps;
    private final int batch;
    private final List<Tensor> owned = new ArrayList<>();
    private final DirectionBuffers[][] directions;
    /** The keys this workspace's loops ran under with {@link Backend#runRepeatable}, forgotten on close. */
    private final Set<Object> repeatedLoops = new HashSet<>();

    /** {@code [T*B, I]} the input in sorted batch order. */
    final Tensor sortedInput;
    /**
     * Per layer, {@code [T*B, D*H]}: the layer's output in sorted order, zero past each length. In a unidirectional
     * stack a view of the layer's states after each step, which are its output: no copy.
     */
    final Tensor[] layerOutputs;
    /** Per layer {@code k >= 1}, {@code [T*B, D*H]}: the dropout mask applied to layer {@code k-1}'s output; lazy. */
    final Tensor[] dropoutMasks;
    /** Per layer {@code k >= 1}, {@code [T*B, D*H]}: layer {@code k-1}'s output after dropout; lazy. */
    final Tensor[] droppedInputs;
    /** Results in the caller's order: {@code [T, B, D*H]}, {@code [L*D, B, H]}, {@code [L*D, B, H]} (LSTM). */
    final Tensor output;
    final Tensor finalHidden;
    final Tensor finalCell;

    /** Backward, lazy: per layer dL/d(output) {@code [T*B, D*H]}, and dL/d(sorted input) {@code [T*B, I]}. */
    Tensor[] dLayerOutputs;
    Tensor dSortedInput;

    Workspace(Backend backend, DType dtype, RecurrentConfig config, int steps, int batch) {
        this.backend = backend;
        this.dtype = dtype;
        this.config = config;
        this.steps = steps;
        this.batch = batch;
        int layers = config.numLayers();
        int width = config.outputSize();
        int hidden = config.hiddenSize();
        directions = new DirectionBuffers[layers][config.directions()];
        try {
            sortedInput = allocate(steps * batch, config.inputSize());
            layerOutputs = new Tensor[layers];
            dropoutMasks = new Tensor[layers];
            droppedInputs = new Tensor[layers];
            for (int layer = 0; layer < layers; layer++) {
                for (int d = 0; d < config.directions(); d++) {
                    directions[layer][d] = new DirectionBuffers(backend, dtype, config, steps, batch);
                }
                layerOutputs[layer] = config.directions() == 1
                        ? backend.viewRows(directions[layer][0].states, batch, steps * batch)
                        : allocate(steps * batch, width);
            }
            output = allocate(steps, batch, width);
            finalHidden = allocate(config.stateLayers(), batch, hidden);
            finalCell = config.cell() == CellType.LSTM ? allocate(config.stateLayers(), batch, hidden) : null;
        } catch (RuntimeException | Error e) { // an Error too: OutOfMemoryError from a host array
            close();
            throw e;
        }
    }

    int steps() {
        return steps;
    }

    int batch() {
        return batch;
    }

    DirectionBuffers direction(int layer, int direction) {
        return directions[layer][direction];
    }

    /** Allocates the dropout buffers of layer {@code layer >= 1} once. */
    void ensureDropout(int layer) {
        if (dropoutMasks[layer] == null) {
            dropoutMasks[layer] = allocate(steps * batch, config.outputSize());
            droppedInputs[layer] = allocate(steps * batch, config.outputSize());
        }
    }

    /** Allocates the backward buffers once. */
    void ensureBackward() {
        if (dSortedInput != null) {
            return;
        }
        // each buffer only if still missing: a call that failed part way is completed by the next
        if (dLayerOutputs == null) {
            dLayerOutputs = new Tensor[config.numLayers()];
        }
        for (int layer = 0; layer < config.numLayers(); layer++) {
            if (dLayerOutputs[layer] == null) {
                dLayerOutputs[layer] = allocate(steps * batch, config.outputSize());
            }
            for (DirectionBuffers d : directions[layer]) {
                d.ensureBackward();
            }
        }
        dSortedInput = allocate(steps * batch, config.inputSize());
    }

    private Tensor allocate(int... shape) {
        Tensor t = backend.allocate(dtype, shape);
        owned.add(t);
        return t;
    }

    /** Notes that a loop over this workspace's buffers ran under {@code key}, so close can forget it. */
    void repeatedUnder(Object key) {
        repeatedLoops.add(key);
    }

    @Override
    public void close() {
        repeatedLoops.forEach(backend::forgetRepeatable);
        repeatedLoops.clear();
        for (DirectionBuffers[] layer : directions) {
            for (DirectionBuffers d : layer) {
                if (d != null) {
                    d.close();
                }
            }
        }
        owned.forEach(Tensor::close);
        owned.clear();
    }
}
