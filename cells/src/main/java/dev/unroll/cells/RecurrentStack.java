package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A stack of recurrent layers (RNN, LSTM or GRU; unidirectional or bidirectional) with PyTorch's parameter
 * names and layouts, an explicit {@link #forward} that keeps what BPTT needs, and a {@link #backward} that
 * accumulates every parameter's gradient. Backend-neutral: it calls the {@link Backend} SPI only.
 *
 * <p>The cuDNN recipe: per layer and direction, the input projection of all time steps is one GEMM; each step
 * then runs the recurrent GEMM and one fused pointwise op on the rows of the sequences still running; backward
 * mirrors it and takes the input weights' gradient and dx as one GEMM each over all steps. Variable-length
 * batches are sorted by decreasing length, so the running sequences are a row prefix (see {@link BatchOrder}).
 *
 * <p>Not thread-safe. {@link #close()} frees the parameters and every cached buffer.
 */
public final class RecurrentStack implements AutoCloseable {
    /** How many workspaces (one per distinct sequence shape) stay cached between passes. */
    private static final int CACHED_SHAPES = 4;

    private final Backend backend;
    private final DType dtype;
    private final RecurrentConfig config;
    private final StepKernel kernel;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final DirectionParameters[][] layout;
    private final LinkedHashMap<Long, Workspace> cachedWorkspaces = new LinkedHashMap<>();
    private long dropoutCall;
    private boolean closed;

    /**
     * Allocates every parameter (zero) and its gradient (zero) on {@code backend}; call {@link #initialize} or
     * load values into {@link Parameter#value()}.
     */
    public RecurrentStack(Backend backend, DType dtype, RecurrentConfig config) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.config = Objects.requireNonNull(config, "config");
        this.kernel = StepKernel.of(config);
        int layers = config.numLayers();
        int gateRows = config.cell().gateCount() * config.hiddenSize();
        int hidden = config.hiddenSize();
        this.layout = new DirectionParameters[layers][config.directions()];
        try {
            for (int layer = 0; layer < layers; layer++) {
                for (int d = 0; d < config.directions(); d++) {
                    String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                    Parameter wIh = add("weight_ih" + suffix, gateRows, config.layerInputSize(layer));
                    Parameter wHh = add("weight_hh" + suffix, gateRows, hidden);
                    Parameter bIh = config.bias() ? add("bias_ih" + suffix, gateRows) : null;
                    Parameter bHh = config.bias() ? add("bias_hh" + suffix, gateRows) : null;
                    layout[layer][d] = new DirectionParameters(layer, d, wIh, wHh, bIh, bHh, null, null);
                }
            }
            if (config.learnedInitialState()) {
                for (int layer = 0; layer < layers; layer++) {
                    for (int d = 0; d < config.directions(); d++) {
                        String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                        Parameter h0 = add("h0" + suffix, hidden);
                        Parameter c0 = config.cell() == CellType.LSTM ? add("c0" + suffix, hidden) : null;
                        DirectionParameters p = layout[layer][d];
                        layout[layer][d] = new DirectionParameters(layer, d, p.weightIh(), p.weightHh(), p.biasIh(),
                                p.biasHh(), h0, c0);
                    }
                }
            }
        } catch (RuntimeException | Error e) { // an Error too: OutOfMemoryError from a host array
            close();
            throw e;
        }
    }

    private Parameter add(String name, int... shape) {
        Tensor value = backend.allocate(dtype, shape);
        Tensor grad;
        try {
            grad = backend.allocate(dtype, shape);
        } catch (RuntimeException | Error e) { // an Error too: OutOfMemoryError from a host array
            value.close();
            throw e;
        }
        Parameter p = new Parameter(name, value, grad);
        parameters.add(p);
        byName.put(name, p);
        return p;
    }

    public RecurrentConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    /**
     * Every parameter in PyTorch's {@code state_dict} order (per layer, per direction: weight_ih, weight_hh,
     * bias_ih, bias_hh), then the learned initial states (per layer and direction: h0, then c0 for LSTM).
     */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** The parameter with this name, or {@link IllegalArgumentException} listing the names there are. */
    public Parameter parameter(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; this stack has: "
                    + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /**
     * PyTorch's default initialization: every weight and bias uniform in {@code [-1/sqrt(H), 1/sqrt(H))}, drawn
     * from {@code new SplittableRandom(seed)} in {@link #parameters()} order, row-major; learned initial states
     * start at zero. Gradients are left as they are.
     */
    public void initialize(long seed) {
        checkOpen();
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(config.hiddenSize());
        for (Parameter p : parameters) {
            if (isInitialState(p)) {
                backend.fill(p.value(), 0);
                continue;
            }
            double[] values = new double[Math.toIntExact(p.value().size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble(-bound, bound);
            }
            backend.upload(values, p.value());
        }
    }

    private static boolean isInitialState(Parameter p) {
        return p.name().startsWith("h0_") || p.name().startsWith("c0_");
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        checkOpen();
        for (Parameter p : parameters) {
            backend.fill(p.grad(), 0);
        }
    }

    /**
     * Makes the next training forward pass draw its dropout masks from {@code SplittableRandom(dropoutSeed + call)};
     * each training pass with dropout then counts one call further. Lets a test replay one mask.
     */
    public void setDropoutCall(long call) {
        this.dropoutCall = call;
    }

    /**
     * Runs the stack over a batch of sequences.
     *
     * @param x        {@code [T, B, inputSize]}, time-major
     * @param h0       {@code [numLayers*D, B, H]} initial hidden state, row {@code layer*D + direction}; null for zero
     *                 (or the learned initial state, if configured)
     * @param c0       {@code [numLayers*D, B, H]} LSTM initial cell state, or null (zero or learned); must be null
     *                 for other cells
     * @param lengths  null when every sequence has all {@code T} steps, else {@code B} lengths in {@code 1..T}
     *                 (PyTorch's packed-sequence semantics; the lengths need not be sorted)
     * @param training whether to apply dropout between layers
     * @return the pass, holding the outputs and what backward needs; close it when done
     * @throws IllegalArgumentException on a mismatched shape or dtype, or a length outside {@code 1..T}
     * @throws IllegalStateException     if this stack, or a tensor passed in, is closed
     */
    public RecurrentPass forward(Tensor x, Tensor h0, Tensor c0, int[] lengths, boolean training) {
        checkOpen();
        int[] tb = ArgumentChecks.input(config, dtype, x);
        int steps = tb[0];
        int batch = tb[1];
        ArgumentChecks.state("h0", h0, config, dtype, batch);
        ArgumentChecks.cellOnlyForLstm("c0", c0, config);
        ArgumentChecks.state("c0", c0, config, dtype, batch);
        ArgumentChecks.lengths(lengths, steps, batch);
        BatchOrder order = new BatchOrder(steps, batch, lengths);
        boolean dropout = training && config.dropout() > 0 && config.numLayers() > 1;
        Workspace ws = borrow(steps, batch);
        try {
            SplittableRandom masks = dropout ? new SplittableRandom(config.dropoutSeed() + dropoutCall++) : null;
            reorderRows(x, order.toSorted(steps), ws.sortedInput);
            clearPadding(ws.sortedInput, order);
            // the caller's initial states in, then the layers on the pass's buffers only
            for (DirectionParameters[] layer : layout) {
                for (DirectionParameters p : layer) {
                    givenInitialStates(ws, order, p, h0, c0);
                }
            }
            boolean hiddenGiven = h0 != null;
            boolean cellGiven = c0 != null;
            Runnable layers = () -> {
                for (int layer = 0; layer < config.numLayers(); layer++) {
                    Tensor input = layerInput(ws, order, layer, masks);
                    for (int d = 0; d < config.directions(); d++) {
                        forwardDirection(ws, order, layout[layer][d], input, hiddenGiven, cellGiven);
                    }
                    clearPadding(ws.layerOutputs[layer], order);
                }
                reorderRows(ws.layerOutputs[config.numLayers() - 1], order.toOriginal(steps), ws.output);
            };
            if (masks == null) {
                // the same work on the same buffers for every batch of this shape with the same states given (a GPU
                // backend replays the whole pass as one graph); dropout masks are uploaded batch by batch
                repeat(ws, order, new ForwardPassKey(ws, hiddenGiven, cellGiven), layers);
            } else {
                layers.run();
            }
        } catch (RuntimeException | Error e) { // an Error too: OutOfMemoryError from a host array
            ws.close();
            throw e;
        }
        return new RecurrentPass(this, ws, order, h0 != null, c0 != null, dropout);
    }

    /**
     * Zeroes the rows past each sequence's length of a sorted sequence buffer {@code [T*B, F]}. For the input: they
     * are never part of a step, but the weight gradient {@code dGates^T x} multiplies them by zero, and padding
     * that holds NaN would turn that zero into NaN. For a layer's output: PyTorch's outputs are zero there.
     */
    private void clearPadding(Tensor sequence, BatchOrder order) {
        int batch = order.batch();
        for (int t = 0; t < order.steps(); t++) {
            int active = order.active(t);
            if (active < batch) {
                backend.fill(backend.viewRows(sequence, t * batch + active, batch - active), 0);
            }
        }
    }

    /** The sorted input of layer {@code layer}: x, or the layer below's output after dropout when training. */
    private Tensor layerInput(Workspace ws, BatchOrder order, int layer, SplittableRandom masks) {
        if (layer == 0) {
            return ws.sortedInput;
        }
        Tensor below = ws.layerOutputs[layer - 1];
        if (masks == null) {
            return below;
        }
        ws.ensureDropout(layer);
        backend.upload(DropoutMasks.draw(masks, config.dropout(), order, config.outputSize()), ws.dropoutMasks[layer]);
        backend.mul(below, ws.dropoutMasks[layer], ws.droppedInputs[layer]);
        return ws.droppedInputs[layer];
    }

    /** Copies the caller's {@code h0} and {@code c0}, where given, into one layer and direction's initial state. */
    private void givenInitialStates(Workspace ws, BatchOrder order, DirectionParameters p, Tensor h0, Tensor c0) {
        int stateRow = p.layer() * config.directions() + p.direction();
        DirectionBuffers buf = ws.direction(p.layer(), p.direction());
        int initialBlock = p.time().initialBlock(order.steps());
        if (h0 != null) {
            initialState(buf.states, initialBlock, h0, null, stateRow, order);
        }
        if (c0 != null) {
            initialState(buf.cells, initialBlock, c0, null, stateRow, order);
        }
    }

    /**
     * One layer and direction forward. Initial states the caller did not give ({@code hiddenGiven}, {@code cellGiven}
     * false) start here at zero or the learned state; given ones are already in place.
     */
    private void forwardDirection(Workspace ws, BatchOrder order, DirectionParameters p, Tensor input,
                                  boolean hiddenGiven, boolean cellGiven) {
        int steps = order.steps();
        int batch = order.batch();
        int hidden = config.hiddenSize();
        int stateRow = p.layer() * config.directions() + p.direction();
        DirectionBuffers buf = ws.direction(p.layer(), p.direction());

        backend.gemm(false, true, 1, input, p.weightIh().value(), 0, buf.gates);
        int initialBlock = p.time().initialBlock(steps);
        if (!hiddenGiven) {
            initialState(buf.states, initialBlock, null, p.initialHidden(), stateRow, order);
        }
        if (buf.cells != null && !cellGiven) {
            initialState(buf.cells, initialBlock, null, p.initialCell(), stateRow, order);
        }
        boolean whole = kernel.forwardSequence(backend, p, buf, order.activeRows(0));
        if (!whole) {
            kernel.prepareForward(backend, p, buf);
            try (RecurrentProduct recurrent = backend.recurrentProduct(p.weightHh().value(), batch)) {
                repeat(ws, order, new LoopKey(ws, p.layer(), p.direction(), false, false, 0), () -> {
                    for (int s = 0; s < steps; s++) {
                        int t = p.time().time(s, steps);
                        StepRows step = step(order, p, t);
                        if (step.active() > 0) {
                            kernel.forward(backend, p, buf, step, recurrent);
                        }
                        if (step.active() < batch) {
                            // finished (forward) or not yet started (reverse) sequences keep their state
                            carry(buf.states, step);
                            if (buf.cells != null) {
                                carry(buf.cells, step);
                            }
                        }
                    }
                });
            }
        }
        // the states after each step, in time order (blocks nextBlock(0) .. nextBlock(0) + T-1), are the layer's output
        // for this direction: a unidirectional layer's output is a view of them (Workspace), a bidirectional one's
        // columns get one copy for all steps (rows past a length hold carried states until the caller clears them)
        if (config.directions() > 1) {
            Tensor produced = backend.viewRows(buf.states, p.time().nextBlock(0) * batch, steps * batch);
            backend.copyColumns(produced, 0, ws.layerOutputs[p.layer()], p.direction() * hidden, hidden);
        }
        int finalBlock = p.time().finalBlock(steps);
        int[] toOriginal = order.blockToOriginal();
        reorderRows(backend.viewRows(buf.states, finalBlock * batch, batch), toOriginal,
                backend.viewRows(ws.finalHidden, stateRow * batch, batch));
        if (buf.cells != null) {
            reorderRows(backend.viewRows(buf.cells, finalBlock * batch, batch), toOriginal,
                    backend.viewRows(ws.finalCell, stateRow * batch, batch));
        }
    }

    /**
     * {@code dst[i] = src[rows[i]]}: a gather, or one row copy where the rows are consecutive (a batch that sorting
     * left in place, as every full-length batch), which needs no index upload (on a GPU backend, a wait).
     */
    private void reorderRows(Tensor src, int[] rows, Tensor dst) {
        boolean consecutive = rows.length > 0;
        for (int i = 1; i < rows.length && consecutive; i++) {
            consecutive = rows[i] == rows[0] + i;
        }
        if (consecutive) {
            backend.copyRows(src, rows[0], dst, 0, rows.length);
        } else {
            backend.gatherRows(src, rows, dst);
        }
    }

    /**
     * Runs a step loop, or a whole forward or backward pass, through {@link Backend#runRepeatable} (a GPU backend
     * replays it as one graph) when the batch is full-length, so the work is the same for every batch of this
     * workspace; else runs it directly. Inside a pass that is being recorded, a loop's own call simply becomes part of
     * the recording.
     */
    private void repeat(Workspace ws, BatchOrder order, Object key, Runnable loop) {
        if (order.allFullLength()) {
            ws.repeatedUnder(key);
            backend.runRepeatable(key, loop);
        } else {
            loop.run();
        }
    }

    private StepRows step(BatchOrder order, DirectionParameters p, int t) {
        return new StepRows(backend, t, p.time().previousBlock(t), p.time().nextBlock(t), order.active(t),
                order.batch());
    }

    private void carry(Tensor states, StepRows step) {
        int batch = step.batch();
        backend.copyRows(states, step.previousBlock() * batch + step.active(), states,
                step.nextBlock() * batch + step.active(), batch - step.active());
    }

    private void initialState(Tensor states, int block, Tensor given, Parameter learned, int stateRow,
                              BatchOrder order) {
        Tensor rows = backend.viewRows(states, block * order.batch(), order.batch());
        if (given != null) {
            reorderRows(given, order.blockToSorted(stateRow), rows);
        } else {
            backend.fill(rows, 0);
            if (learned != null) {
                backend.addRowVector(rows, learned.value(), rows);
            }
        }
    }

    /**
     * Full backpropagation through time; see {@link #backward(RecurrentPass, Tensor, Tensor, Tensor, int)}.
     */
    public InputGradients backward(RecurrentPass pass, Tensor dy, Tensor dhN, Tensor dcN) {
        return backward(pass, dy, dhN, dcN, Integer.MAX_VALUE);
    }

    /**
     * Backpropagation through time of a forward pass of this stack: adds ({@code +=}) the gradient of the loss to
     * every parameter's {@link Parameter#grad()} and returns the gradients of the input and initial states.
     * Any upstream gradient may be null (zero). May be called more than once per pass (each call accumulates).
     *
     * @param dy       {@code [T, B, D*H]} dL/d(output); entries past a sequence's length are ignored
     * @param dhN      {@code [numLayers*D, B, H]} dL/d(final hidden state)
     * @param dcN      {@code [numLayers*D, B, H]} dL/d(final cell state), LSTM only
     * @param maxSteps truncated BPTT: back-propagate through the last {@code maxSteps} time steps only (dy at earlier
     *                 steps is ignored and nothing flows to earlier steps or to the initial state, so dh0 and dc0 are
     *                 zero). Unidirectional stacks only when {@code maxSteps < T}.
     */
    public InputGradients backward(RecurrentPass pass, Tensor dy, Tensor dhN, Tensor dcN, int maxSteps) {
        return backward(pass, dy, dhN, dcN, maxSteps, InputGradient.COMPUTE);
    }

    /**
     * As {@link #backward(RecurrentPass, Tensor, Tensor, Tensor, int)}, computing dL/dx only if {@code inputGradient}
     * says so ({@link InputGradients#dx()} is null otherwise).
     */
    public InputGradients backward(RecurrentPass pass, Tensor dy, Tensor dhN, Tensor dcN, int maxSteps,
                                   InputGradient inputGradient) {
        checkOpen();
        Objects.requireNonNull(inputGradient, "inputGradient");
        if (pass == null || pass.stack() != this) {
            throw new IllegalArgumentException("pass must be a RecurrentPass of this stack");
        }
        Workspace ws = pass.workspace();
        BatchOrder order = pass.order();
        int steps = order.steps();
        int batch = order.batch();
        ArgumentChecks.output("dy", dy, config, dtype, steps, batch);
        ArgumentChecks.state("dhN", dhN, config, dtype, batch);
        ArgumentChecks.cellOnlyForLstm("dcN", dcN, config);
        ArgumentChecks.state("dcN", dcN, config, dtype, batch);
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, was " + maxSteps);
        }
        int windowStart = Math.max(0, steps - maxSteps);
        if (windowStart > 0 && config.bidirectional()) {
            throw new IllegalArgumentException("truncated BPTT (maxSteps " + maxSteps + " < T " + steps
                    + ") is defined for unidirectional stacks only");
        }
        ws.ensureBackward();
        List<Tensor> results = new ArrayList<>(3);
        try {
            boolean wantDx = inputGradient == InputGradient.COMPUTE;
            Tensor dx = wantDx ? allocateResult(results, steps, batch, config.inputSize()) : null;
            Tensor dh0 = allocateResult(results, config.stateLayers(), batch, config.hiddenSize());
            Tensor dc0 = config.cell() == CellType.LSTM
                    ? allocateResult(results, config.stateLayers(), batch, config.hiddenSize()) : null;
            int top = config.numLayers() - 1;
            // the caller's tensors in, then the layers on the pass's buffers only (the same work for every
            // full-length batch of this shape and these options: a GPU backend replays it as one graph), then out
            if (dy != null) {
                reorderRows(dy, order.toSorted(steps), ws.dLayerOutputs[top]);
            }
            for (DirectionParameters[] layer : layout) {
                for (DirectionParameters p : layer) {
                    finalStateGradients(ws, order, p, dhN, dcN);
                }
            }
            Runnable layers = () -> {
                for (int layer = top; layer >= 0; layer--) {
                    boolean hasDy = layer < top || dy != null;
                    Tensor input = layer == 0 ? ws.sortedInput
                            : pass.dropoutApplied() ? ws.droppedInputs[layer] : ws.layerOutputs[layer - 1];
                    Tensor dInput = layer > 0 ? ws.dLayerOutputs[layer - 1] : wantDx ? ws.dSortedInput : null;
                    for (int d = 0; d < config.directions(); d++) {
                        backwardDirection(ws, order, layout[layer][d], hasDy ? ws.dLayerOutputs[layer] : null, input,
                                dInput, d == 0 ? 0 : 1, windowStart);
                    }
                    if (layer > 0 && pass.dropoutApplied()) {
                        backend.mul(dInput, ws.dropoutMasks[layer], dInput);
                    }
                }
            };
            repeat(ws, order, new BackwardPassKey(ws, dy != null, windowStart, wantDx, pass.dropoutApplied()), layers);
            if (windowStart == 0) { // truncated: nothing reaches the initial state, dh0/dc0 stay zero
                for (DirectionParameters[] layer : layout) {
                    for (DirectionParameters p : layer) {
                        initialStateGradients(pass, order, p, dh0, dc0);
                    }
                }
            }
            if (wantDx) {
                reorderRows(ws.dSortedInput, order.toOriginal(steps), dx);
            }
            return new InputGradients(dx, dh0, dc0);
        } catch (RuntimeException | Error e) { // an Error too: OutOfMemoryError from a host array
            results.forEach(Tensor::close);
            throw e;
        }
    }

    private Tensor allocateResult(List<Tensor> results, int... shape) {
        Tensor t = backend.allocate(dtype, shape);
        results.add(t);
        return t;
    }

    /** dL/d(final state) of one layer and direction, from the caller's {@code dhN} and {@code dcN} (null: zero). */
    private void finalStateGradients(Workspace ws, BatchOrder order, DirectionParameters p, Tensor dhN, Tensor dcN) {
        int stateRow = p.layer() * config.directions() + p.direction();
        DirectionBuffers buf = ws.direction(p.layer(), p.direction());
        finalStateGradient(dhN, buf.dHidden, stateRow, order);
        if (buf.dCell != null) {
            finalStateGradient(dcN, buf.dCell, stateRow, order);
        }
    }

    /**
     * One layer and direction backward, from the final-state gradients in its buffers to the gradients of its
     * parameters and input; leaves dL/d(initial state) in {@code buf.dHidden} (and {@code buf.dCell}).
     */
    private void backwardDirection(Workspace ws, BatchOrder order, DirectionParameters p, Tensor dOutput,
                                   Tensor input, Tensor dInput, double dInputBeta, int windowStart) {
        int steps = order.steps();
        int batch = order.batch();
        int hidden = config.hiddenSize();
        DirectionBuffers buf = ws.direction(p.layer(), p.direction());

        // this direction's columns of dL/d(output) for all steps: one copy instead of one per step
        Tensor dOutputPart = dOutput == null || config.directions() == 1 ? dOutput : buf.dOutputPart;
        if (dOutputPart != dOutput) {
            backend.copyColumns(dOutput, p.direction() * hidden, dOutputPart, 0, hidden);
        }
        // the gate gradients of steps the backward does not reach (before a truncated window) and of rows that do not
        // run at a step (sequences that had ended, or not begun) are zero: the weight gradients below multiply all
        // rows. The whole-sequence call, or else the step loop, writes every other row.
        clearGateGradients(buf, 0, (order.allFullLength() ? windowStart : steps) * batch);
        if (!kernel.backwardSequence(backend, p, buf, dOutputPart, windowStart, batch,
                order.activeRows(windowStart))) {
            backwardSteps(ws, order, p, buf, dOutputPart, windowStart);
        }
        backend.gemm(true, false, 1, buf.dGates, input, 1, p.weightIh().grad());
        if (dInput != null) {
            backend.gemm(false, false, 1, buf.dGates, p.weightIh().value(), dInputBeta, dInput);
        }
        // the state each step read, in time order: blocks previousBlock(0) .. previousBlock(0) + T-1
        Tensor previousStates = backend.viewRows(buf.states, p.time().previousBlock(0) * batch, steps * batch);
        kernel.accumulateRecurrentGradients(backend, p, buf, previousStates);
    }

    /**
     * dL/d(initial state) of one layer and direction into the caller's {@code dh0} and {@code dc0}, and into the
     * learned initial state's gradient where the pass used it.
     */
    private void initialStateGradients(RecurrentPass pass, BatchOrder order, DirectionParameters p, Tensor dh0,
                                       Tensor dc0) {
        int batch = order.batch();
        int stateRow = p.layer() * config.directions() + p.direction();
        DirectionBuffers buf = pass.workspace().direction(p.layer(), p.direction());
        int[] toOriginal = order.blockToOriginal();
        reorderRows(buf.dHidden, toOriginal, backend.viewRows(dh0, stateRow * batch, batch));
        if (!pass.hiddenGiven() && p.initialHidden() != null) {
            backend.columnSums(buf.dHidden, 1, p.initialHidden().grad());
        }
        if (buf.dCell != null) {
            reorderRows(buf.dCell, toOriginal, backend.viewRows(dc0, stateRow * batch, batch));
            if (!pass.cellGiven() && p.initialCell() != null) {
                backend.columnSums(buf.dCell, 1, p.initialCell().grad());
            }
        }
    }

    /** Zeroes rows {@code [first, first + count)} of the gate gradients (and the GRU's dHiddenProjection). */
    private void clearGateGradients(DirectionBuffers buf, int first, int count) {
        if (count == 0) {
            return;
        }
        backend.fill(backend.viewRows(buf.dGates, first, count), 0);
        if (buf.dHiddenProjection != null) {
            backend.fill(backend.viewRows(buf.dHiddenProjection, first, count), 0);
        }
    }

    /**
     * The backward step loop, in the reverse of the forward loop's order, down to step {@code windowStart}; rows past
     * the active prefix carry their gradient unchanged.
     */
    private void backwardSteps(Workspace ws, BatchOrder order, DirectionParameters p, DirectionBuffers buf,
                               Tensor dOutputPart, int windowStart) {
        int steps = order.steps();
        repeat(ws, order, new LoopKey(ws, p.layer(), p.direction(), true, dOutputPart != null, windowStart), () -> {
            for (int s = steps - 1; s >= 0; s--) {
                int t = p.time().time(s, steps);
                if (t < windowStart) {
                    break;
                }
                StepRows step = step(order, p, t);
                if (step.active() == 0) {
                    continue;
                }
                if (dOutputPart != null) {
                    Tensor dh = step.head(buf.dHidden);
                    backend.add(dh, step.atTime(dOutputPart), dh);
                }
                kernel.backward(backend, p, buf, step);
            }
        });
    }

    private void finalStateGradient(Tensor upstream, Tensor into, int stateRow, BatchOrder order) {
        if (upstream == null) {
            backend.fill(into, 0);
        } else {
            reorderRows(upstream, order.blockToSorted(stateRow), into);
        }
    }

    // ---------------------------------------------------------------- workspace cache

    private Workspace borrow(int steps, int batch) {
        Workspace cached = cachedWorkspaces.remove(shapeKey(steps, batch));
        return cached != null ? cached : new Workspace(backend, dtype, config, steps, batch);
    }

    /** Called by a closing pass: keeps its buffers for the next pass of the same shape. */
    void giveBack(Workspace ws) {
        if (closed) {
            ws.close();
            return;
        }
        Workspace previous = cachedWorkspaces.put(shapeKey(ws.steps(), ws.batch()), ws);
        if (previous != null) {
            previous.close();
        }
        if (cachedWorkspaces.size() > CACHED_SHAPES) {
            Iterator<Workspace> eldest = cachedWorkspaces.values().iterator();
            eldest.next().close();
            eldest.remove();
        }
    }

    private static long shapeKey(int steps, int batch) {
        return ((long) steps << 32) | batch;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this RecurrentStack is closed");
        }
        // closing the backend closes every tensor it made, the parameters too (a try-with-resources that closes the
        // backend before the stack): say so, instead of failing later on whichever tensor is read first
        if (!parameters.isEmpty() && parameters.get(0).value().isClosed()) {
            throw new IllegalStateException("this RecurrentStack's parameters are closed: was its backend '"
                    + backend.name() + "' closed before it?");
        }
    }

    /** Frees the parameters, their gradients and the cached buffers. Passes still open stay readable until closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cachedWorkspaces.values().forEach(Workspace::close);
        cachedWorkspaces.clear();
        for (Parameter p : parameters) {
            p.value().close();
            p.grad().close();
        }
    }

    @Override
    public String toString() {
        return "RecurrentStack[" + config + " on " + backend.name() + " " + dtype + ", parameters "
                + parameters.stream().map(Parameter::name).collect(Collectors.joining(", ")) + "]";
    }
}
