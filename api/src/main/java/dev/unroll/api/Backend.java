package dev.unroll.api;

import java.util.function.Consumer;

/**
 * The compute backend SPI: a small set of primitive operations in output-parameter form, plus fused
 * operations (one recurrent step's pointwise work, an optimizer update) given as default methods composed
 * from the primitives. A backend overrides the fused defaults only for speed; the conformance kit checks
 * that both paths agree.
 *
 * <p>Conventions, for every method:
 * <ul>
 *   <li>Tensors are read as matrices {@code [rows, cols]} (see {@link Tensor}). "Same shape" means the same
 *       rows and cols; the message of the {@link IllegalArgumentException} thrown on a mismatch names the
 *       operation and both shapes.</li>
 *   <li>All tensors of one call have the same dtype and belong to this backend.</li>
 *   <li>Element-wise outputs may be the same tensor as an input (in place). A GEMM output must not
 *       overlap its inputs.</li>
 *   <li>Scalars are passed as {@code double} and rounded to the tensors' dtype.</li>
 *   <li>Arguments are not null unless a method says so ("or null for none"); a null one throws
 *       {@link IllegalArgumentException} naming the operation.</li>
 * </ul>
 * A backend instance is not thread-safe. Closing it releases everything it still holds.
 */
public interface Backend extends AutoCloseable {

    /** The provider name that made this backend, e.g. {@code "ejml"}. */
    String name();

    /** Whether tensors of this dtype can be made. Others fail with {@link UnsupportedDTypeException}. */
    boolean supports(DType dtype);

    // ---------------------------------------------------------------- memory

    /** A new zero-filled tensor. */
    Tensor allocate(DType dtype, int... shape);

    /**
     * A new tensor holding {@code data} (row-major, exactly the shape's element count); where {@code data} does not
     * fit, it throws and leaves no tensor allocated.
     */
    default Tensor upload(DType dtype, float[] data, int... shape) {
        return allocateFilled(dtype, shape, t -> upload(data, t));
    }

    /** As {@link #upload(DType, float[], int...)}, from doubles. */
    default Tensor upload(DType dtype, double[] data, int... shape) {
        return allocateFilled(dtype, shape, t -> upload(data, t));
    }

    /** A new tensor, filled by {@code fill}; closed again if {@code fill} throws. */
    private Tensor allocateFilled(DType dtype, int[] shape, Consumer<Tensor> fill) {
        Tensor t = allocate(dtype, shape);
        try {
            fill.accept(t);
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Overwrites {@code dst} with {@code src}, which holds exactly {@code dst.size()} values. */
    void upload(float[] src, Tensor dst);

    /** Overwrites {@code dst} with {@code src}, which holds exactly {@code dst.size()} values. */
    void upload(double[] src, Tensor dst);

    /** Copies {@code src} into {@code dst}, which holds exactly {@code src.size()} values. */
    void download(Tensor src, float[] dst);

    /** Copies {@code src} into {@code dst}, which holds exactly {@code src.size()} values. */
    void download(Tensor src, double[] dst);

    /**
     * A view of rows {@code firstRow .. firstRow+rowCount-1} of {@code base}'s matrix view, shape
     * {@code [rowCount, base.cols()]}, sharing storage. For a sequence {@code [T, B, F]}, step {@code t}
     * is {@code viewRows(seq, t*B, B)}. Closing the view frees nothing.
     */
    Tensor viewRows(Tensor base, int firstRow, int rowCount);

    /** A view of {@code base} with another shape of the same element count, sharing storage. */
    Tensor reshape(Tensor base, int... shape);

    /** Sets every element to {@code value}. */
    void fill(Tensor t, double value);

    /** {@code dst = src}; same shape. */
    void copy(Tensor src, Tensor dst);

    /** {@code dst[dstRow + i, :] = src[srcRow + i, :]} for {@code i < count}; same cols. */
    void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int count);

    /** {@code dst[:, dstCol + j] = src[:, srcCol + j]} for {@code j < count}; same rows. */
    void copyColumns(Tensor src, int srcCol, Tensor dst, int dstCol, int count);

    // ---------------------------------------------------------------- linear algebra

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c}, with {@code op(x)} = x or its transpose. With
     * {@code beta == 0} the old contents of {@code c} are ignored (NaN in c does not propagate), as in BLAS.
     *
     * @param a {@code [m, k]}, or {@code [k, m]} when {@code transA}
     * @param b {@code [k, n]}, or {@code [n, k]} when {@code transB}
     * @param c {@code [m, n]}
     */
    void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c);

    /** {@code out = a + b}. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a - b}. */
    void sub(Tensor a, Tensor b, Tensor out);

    /** {@code out = a * b}, element-wise. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = a / b}, element-wise. */
    void div(Tensor a, Tensor b, Tensor out);

    /** {@code out = alpha * x}. */
    void scale(double alpha, Tensor x, Tensor out);

    /** {@code out = x + value}. */
    void addScalar(Tensor x, double value, Tensor out);

    /** {@code y = y + alpha * x}. */
    void axpy(double alpha, Tensor x, Tensor y);

    /** {@code out = sqrt(x)}. */
    void sqrt(Tensor x, Tensor out);

    /** {@code out = min(max(x, lo), hi)}; NaN stays NaN. */
    void clamp(Tensor x, double lo, double hi, Tensor out);

    // ---------------------------------------------------------------- activations

    /** {@code out = f(x)} for the given activation. */
    void activate(Activation f, Tensor x, Tensor out);

    /**
     * {@code dx = dy * f'(x)} where {@code f'} is computed from the activation's output {@code y = f(x)}:
     * tanh {@code 1 - y^2}, sigmoid {@code y (1 - y)}, relu {@code y > 0 ? 1 : 0}.
     */
    void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx);

    // ---------------------------------------------------------------- broadcasting and reductions

    /** {@code out[i, j] = m[i, j] + row[j]}; {@code row} has {@code m.cols()} elements. */
    void addRowVector(Tensor m, Tensor row, Tensor out);

    /** {@code out[i, j] = m[i, j] * column[i]}; {@code column} has {@code m.rows()} elements. */
    void mulColumnVector(Tensor m, Tensor column, Tensor out);

    /** {@code out[j] = beta * out[j] + sum_i m[i, j]}; {@code out} has {@code m.cols()} elements. */
    void columnSums(Tensor m, double beta, Tensor out);

    /** Sum of squares of all elements, accumulated in double. */
    double sumOfSquares(Tensor t);

    /** Largest absolute value of all elements; NaN if any element is NaN. */
    double maxAbs(Tensor t);

    // ---------------------------------------------------------------- embeddings

    /** {@code out[i, :] = table[indices[i], :]}; {@code out} is {@code [indices.length, table.cols()]}. */
    void gatherRows(Tensor table, int[] indices, Tensor out);

    /** {@code table[indices[i], :] += src[i, :]}; repeated indices accumulate. */
    void scatterAddRows(Tensor src, int[] indices, Tensor table);

    // ---------------------------------------------------------------- loss

    /**
     * Row-wise softmax of {@code logits [N, C]} into {@code probabilities [N, C]}, and the summed
     * cross-entropy {@code -sum_i log p[i, targets[i]]} over the rows whose target is not negative (a
     * negative target marks a padded row: it adds no loss).
     */
    double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor probabilities);

    /**
     * {@code dLogits[i, :] = scale * (probabilities[i, :] - onehot(targets[i]))}, and zero for rows whose
     * target is negative.
     */
    void softmaxCrossEntropyBackward(Tensor probabilities, int[] targets, double scale, Tensor dLogits);

    // ---------------------------------------------------------------- fused recurrent steps (defaults)

    /**
     * One LSTM step's pointwise part. {@code gates [B, 4H]} holds the pre-activations
     * {@code W_ih x + b_ih + W_hh h_prev + b_hh} in PyTorch's gate order i, f, g, o and is overwritten
     * with the activations {@code sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)}. Then
     * {@code c = f * cPrev + i * g} and {@code h = o * tanh(c)}.
     *
     * @param cPrev {@code [B, H]}
     * @param c     {@code [B, H]}, output
     * @param h     {@code [B, H]}, output
     */
    default void lstmStepForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h) {
        StepShapes.lstmStepForward(gates, cPrev, c, h);
        CompositeSteps.lstmForward(this, gates, cPrev, c, h);
    }

    /**
     * Backward of {@link #lstmStepForward}.
     *
     * @param gates  {@code [B, 4H]} the activations the forward step left
     * @param cPrev  {@code [B, H]}
     * @param c      {@code [B, H]}
     * @param dh     {@code [B, H]} dL/dh_t (all of it: from the output and from the next step)
     * @param dc     {@code [B, H]} in: dL/dc_t from the next step; out: dL/dc_{t-1}
     * @param dGates {@code [B, 4H]} output: dL/d(pre-activations), gate order i, f, g, o
     */
    default void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        StepShapes.lstmStepBackward(gates, cPrev, c, dh, dc, dGates);
        CompositeSteps.lstmBackward(this, gates, cPrev, c, dh, dc, dGates);
    }

    /**
     * One GRU step's pointwise part in PyTorch's form (reset gate applied after the recurrent product):
     * {@code r = sigmoid(x_r + h_r)}, {@code z = sigmoid(x_z + h_z)}, {@code n = tanh(x_n + r * h_n)},
     * {@code h = (1 - z) * n + z * hPrev}.
     *
     * @param gates [B, 3H] in: {@code W_ih x + b_ih} (gate order r, z, n); out: the activations r, z, n
     * @param hProj [B, 3H] {@code W_hh hPrev + b_hh}, left unchanged (backward needs its n part)
     * @param hPrev [B, H]
     * @param h     [B, H] output
     */
    default void gruStepForward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        StepShapes.gruStepForward(gates, hProj, hPrev, h);
        CompositeSteps.gruForward(this, gates, hProj, hPrev, h);
    }

    /**
     * Backward of {@link #gruStepForward}.
     *
     * @param gates        [B, 3H] the activations r, z, n the forward step left
     * @param hProj        [B, 3H] the forward step's {@code W_hh hPrev + b_hh}
     * @param hPrev        [B, H]
     * @param dh           [B, H] in: dL/dh_t; out: {@code z * dL/dh_t}, the direct part of dL/dh_{t-1}
     *                     (the caller adds {@code dHidden * W_hh})
     * @param dInput       [B, 3H] output: dL/d(W_ih x + b_ih)
     * @param dHidden      [B, 3H] output: dL/d(W_hh hPrev + b_hh)
     */
    default void gruStepBackward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh, Tensor dInput,
                                 Tensor dHidden) {
        StepShapes.gruStepBackward(gates, hProj, hPrev, dh, dInput, dHidden);
        CompositeSteps.gruBackward(this, gates, hProj, hPrev, dh, dInput, dHidden);
    }

    /**
     * The recurrent product of the steps of one sequence, {@code into += hPrev W_hh^T}, for {@code hPrev} of at most
     * {@code rows} rows; the caller closes it when the sequence is done and does not change {@code weightHh} before.
     * Default: one {@link #gemm} a step on {@code weightHh} as stored. A backend whose GEMM is faster on another
     * layout may prepare one copy of {@code weightHh} here for all the steps. Callers may make a product inside work
     * they pass to {@link #runRepeatable}, so a backend that records such work must not allocate here while recording.
     *
     * @param weightHh {@code [G*H, H]}
     * @param rows     the most rows a step's {@code hPrev} will have (the batch)
     */
    default RecurrentProduct recurrentProduct(Tensor weightHh, int rows) {
        return RecurrentProduct.of(this, weightHh);
    }

    // ---------------------------------------------------------------- whole sequences, forward and backward (defaults)

    /**
     * The forward recurrence of one LSTM layer over a whole sequence: for each step {@code t} in {@code direction}'s
     * order, {@code gates_t += h_prev W_hh^T}, then {@link #lstmStepForward}{@code (gates_t, c_prev, c_next, h_next)},
     * where {@code prev} and {@code next} are state blocks {@link TimeDirection#previousBlock previousBlock(t)} and
     * {@link TimeDirection#nextBlock nextBlock(t)} of {@code states} and {@code cells} (forward: {@code t} and
     * {@code t+1}). The default is that loop ({@link SequenceSteps#lstmForward}); a backend may run it as one kernel
     * (cuDNN's persistent RNNs), and then agrees with the loop to the cell tolerance, not bit for bit (its dot
     * products may add in another order).
     *
     * @param direction  {@link TimeDirection#FORWARD}, or {@link TimeDirection#REVERSE} for the reverse direction of
     *                   a bidirectional layer
     * @param activeRows null when every row runs every step; else, for a batch sorted longest first, the rows that
     *                   run at each time step {@code t}: {@code [0, activeRows[t])}. The others' states and cell
     *                   states carry over unchanged to the block the step writes; their gate rows are left alone
     * @param gates     {@code [T*B, 4H]} in: each step's {@code W_ih x_t + b_ih + b_hh}; out: the activations
     *                  {@link #lstmStepForward} leaves (gate order i, f, g, o)
     * @param weightHh  {@code [4H, H]}
     * @param states    {@code [(T+1)*B, H]} the initial state's block in ({@code h_0}: block 0 forward, block
     *                  {@code T} reverse); the other {@code T} blocks out
     * @param cells     {@code [(T+1)*B, H]} the cell states, likewise
     */
    default void lstmSequenceForward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                     Tensor states, Tensor cells) {
        SequenceSteps.lstmForward(this, direction, activeRows, gates, weightHh, states, cells);
    }

    /**
     * The forward recurrence of one GRU layer (PyTorch's form) over a whole sequence: for each step {@code t} in
     * {@code direction}'s order, {@code hProj_t = h_prev W_hh^T + b_hh}, then
     * {@link #gruStepForward}{@code (gates_t, hProj_t, h_prev, h_next)}, the state blocks as in
     * {@link #lstmSequenceForward}. Default: that loop ({@link SequenceSteps#gruForward}); an override agrees to the
     * cell tolerance.
     *
     * @param direction        the order of the steps ({@link TimeDirection})
     * @param activeRows       null, or the rows that run at each time step, as in {@link #lstmSequenceForward}
     * @param gates            {@code [T*B, 3H]} in: each step's {@code W_ih x_t + b_ih}; out: the activations r, z, n
     * @param hiddenProjection {@code [T*B, 3H]} out: each step's {@code W_hh h_prev + b_hh} (backward needs it); a
     *                         row that does not run holds {@code b_hh} (zero without it)
     * @param weightHh         {@code [3H, H]}
     * @param biasHh           {@code [3H]} {@code b_hh}, or null for none
     * @param states           {@code [(T+1)*B, H]} the initial state's block in; the other {@code T} blocks out
     */
    default void gruSequenceForward(TimeDirection direction, int[] activeRows, Tensor gates,
                                    Tensor hiddenProjection, Tensor weightHh, Tensor biasHh, Tensor states) {
        SequenceSteps.gruForward(this, direction, activeRows, gates, hiddenProjection, weightHh, biasHh, states);
    }

    /**
     * The forward recurrence of one vanilla RNN layer over a whole sequence: for each step {@code t} in
     * {@code direction}'s order, {@code h_next = f(gates_t + h_prev W_hh^T)}, the state blocks as in
     * {@link #lstmSequenceForward}. Default: that loop ({@link SequenceSteps#rnnForward}); an override agrees to the
     * cell tolerance.
     *
     * @param direction  the order of the steps ({@link TimeDirection})
     * @param activeRows null, or the rows that run at each time step, as in {@link #lstmSequenceForward}
     * @param activation {@link Activation#TANH} or {@link Activation#RELU}
     * @param gates      {@code [T*B, H]} in: each step's {@code W_ih x_t + b_ih + b_hh}; out: unspecified (the
     *                   backward step reads the states only)
     * @param weightHh   {@code [H, H]}
     * @param states     {@code [(T+1)*B, H]} the initial state's block in; the other {@code T} blocks out
     */
    default void rnnSequenceForward(TimeDirection direction, int[] activeRows, Activation activation, Tensor gates,
                                    Tensor weightHh, Tensor states) {
        SequenceSteps.rnnForward(this, direction, activeRows, activation, gates, weightHh, states);
    }

    /**
     * Backpropagation through time of {@link #lstmSequenceForward}: for each step {@code t} in the reverse of
     * {@code direction}'s order, {@code dh += dOutput_t} (where given),
     * {@link #lstmStepBackward}{@code (gates_t, c_prev, c_next, dh, dc, dGates_t)}, then {@code dh = dGates_t W_hh}.
     * Default: that loop ({@link SequenceSteps#lstmBackward}); a backend may run it as one kernel, and then agrees
     * with the loop to the cell tolerance.
     *
     * @param direction  the forward's order of the steps ({@link TimeDirection})
     * @param activeRows null, or the rows that ran at each time step, as in the forward: a row that did not run at
     *                   step {@code t} gets nothing from it (no {@code dOutput_t}, its {@code dGates_t} row left
     *                   alone) and passes its dL/dh and dL/dc through unchanged
     * @param gates     {@code [T*B, 4H]} the activations the forward left
     * @param weightHh  {@code [4H, H]}
     * @param cells     {@code [(T+1)*B, H]} the cell states the forward left, the initial one included
     * @param dOutput   {@code [T*B, H]} dL/d(step {@code t}'s output state) from outside the recurrence (the layer's
     *                  output at step {@code t}), or null for none
     * @param dGates    {@code [T*B, 4H]} out: dL/d(pre-activations) of every step, gate order i, f, g, o
     * @param dHidden   {@code [B, H]} in: dL/d(final state) from beyond the sequence; out: dL/d(initial state)
     * @param dCell     {@code [B, H]} in: dL/d(final cell state); out: dL/d(initial cell state)
     */
    default void lstmSequenceBackward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                      Tensor cells, Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        SequenceSteps.lstmBackward(this, direction, activeRows, gates, weightHh, cells, dOutput, dGates, dHidden,
                dCell);
    }

    /**
     * Backpropagation through time of {@link #gruSequenceForward}: for each step {@code t} in the reverse of
     * {@code direction}'s order, {@code dh += dOutput_t} (where given),
     * {@link #gruStepBackward}{@code (gates_t, hProj_t, h_prev, dh, dGates_t, dHiddenProjection_t)}, then
     * {@code dh += dHiddenProjection_t W_hh}. Default: that loop ({@link SequenceSteps#gruBackward}); an override
     * agrees to the cell tolerance.
     *
     * @param direction         the forward's order of the steps ({@link TimeDirection})
     * @param activeRows        null, or the rows that ran at each time step, as in {@link #lstmSequenceBackward}
     * @param gates             {@code [T*B, 3H]} the activations r, z, n the forward left
     * @param hiddenProjection  {@code [T*B, 3H]} the forward's {@code W_hh h_prev + b_hh} of every step
     * @param weightHh          {@code [3H, H]}
     * @param states            {@code [(T+1)*B, H]} the states the forward left, the initial one included
     * @param dOutput           {@code [T*B, H]} dL/d(step {@code t}'s output state) from outside the recurrence, or
     *                          null for none
     * @param dGates            {@code [T*B, 3H]} out: dL/d(W_ih x_t + b_ih) of every step
     * @param dHiddenProjection {@code [T*B, 3H]} out: dL/d(W_hh h_prev + b_hh) of every step
     * @param dHidden           {@code [B, H]} in: dL/d(final state); out: dL/d(initial state)
     */
    default void gruSequenceBackward(TimeDirection direction, int[] activeRows, Tensor gates,
                                     Tensor hiddenProjection, Tensor weightHh, Tensor states, Tensor dOutput,
                                     Tensor dGates, Tensor dHiddenProjection, Tensor dHidden) {
        SequenceSteps.gruBackward(this, direction, activeRows, gates, hiddenProjection, weightHh, states, dOutput,
                dGates, dHiddenProjection, dHidden);
    }

    /**
     * Backpropagation through time of {@link #rnnSequenceForward}: for each step {@code t} in the reverse of
     * {@code direction}'s order, {@code dh += dOutput_t} (where given),
     * {@link #activateBackward}{@code (activation, h_next, dh, dGates_t)}, then {@code dh = dGates_t W_hh}. Default:
     * that loop ({@link SequenceSteps#rnnBackward}); an override agrees to the cell tolerance.
     *
     * @param direction  the forward's order of the steps ({@link TimeDirection})
     * @param activeRows null, or the rows that ran at each time step, as in {@link #lstmSequenceBackward}
     * @param activation {@link Activation#TANH} or {@link Activation#RELU}
     * @param weightHh   {@code [H, H]}
     * @param states     {@code [(T+1)*B, H]} the states the forward left, the initial one included
     * @param dOutput    {@code [T*B, H]} dL/d(step {@code t}'s output state) from outside the recurrence, or null
     *                   for none
     * @param dGates     {@code [T*B, H]} out: dL/d(pre-activation) of every step
     * @param dHidden    {@code [B, H]} in: dL/d(final state); out: dL/d(initial state)
     */
    default void rnnSequenceBackward(TimeDirection direction, int[] activeRows, Activation activation,
                                     Tensor weightHh, Tensor states, Tensor dOutput, Tensor dGates, Tensor dHidden) {
        SequenceSteps.rnnBackward(this, direction, activeRows, activation, weightHh, states, dOutput, dGates,
                dHidden);
    }

    // ---------------------------------------------------------------- repeated work (default: just run it)

    /**
     * Runs {@code work}, a fixed list of this backend's operations that a caller runs again and again under the
     * same {@code key} (a layer's step loop for one batch shape, say). A backend whose cost per operation is high
     * (a GPU, where one launch from Java costs microseconds) may record the operations the first time a key is
     * seen and replay the recording afterwards instead of calling {@code work}. So the caller promises, for one key:
     * the same operations on the same tensors (same objects, open, contents free to change) with the same scalars
     * each time; no operation that reads a result back to the host, uploads, or allocates; and a call of
     * {@link #forgetRepeatable} before any of those tensors is closed. Default: {@code work.run()}.
     *
     * @param key equal (by {@code equals}) exactly when the work is the same: include the tensors' owner and
     *            every shape or count the work depends on
     */
    default void runRepeatable(Object key, Runnable work) {
        work.run();
    }

    /** Drops whatever {@link #runRepeatable} kept for {@code key}, if anything. Default: nothing to drop. */
    default void forgetRepeatable(Object key) {
    }

    // ---------------------------------------------------------------- fused optimizer update (default)

    /**
     * One Adam step on one parameter, PyTorch's {@code torch.optim.Adam} (L2 weight decay added to the
     * gradient): {@code g = grad + weightDecay * param}; {@code m = beta1 m + (1 - beta1) g};
     * {@code v = beta2 v + (1 - beta2) g^2};
     * {@code param -= lr * (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps)}.
     * {@code grad} is left unchanged. All four tensors have the same shape.
     *
     * @param step the 1-based step count, for bias correction
     */
    default void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1,
                            double beta2, double eps, double weightDecay, long step) {
        StepShapes.same("adamUpdate", "param", param, "grad", grad);
        StepShapes.same("adamUpdate", "param", param, "m", m);
        StepShapes.same("adamUpdate", "param", param, "v", v);
        if (step < 1) {
            throw new IllegalArgumentException("adamUpdate: step must be >= 1, was " + step);
        }
        CompositeSteps.adam(this, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }

    /**
     * Waits until every operation called so far has finished. Results never need it (operations are ordered, and
     * reading a result waits for it); a timer does, on a backend that runs asynchronously (a GPU). Default: nothing
     * to wait for.
     */
    default void synchronize() {
    }

    /** Releases every resource of this backend. Tensors it made are unusable afterwards. */
    @Override
    void close();
}
