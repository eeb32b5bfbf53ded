package dev.unroll.cells;

import dev.unroll.api.Activation;
import dev.unroll.api.Backend;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;

/**
 * The per-step work of one cell type: the recurrent GEMM and the fused pointwise op forward, their
 * mirror backward, and the recurrent weights' gradient over the whole sequence. The input projection, the
 * input weights' gradient and dx are the same for every cell and live in {@link RecurrentStack}.
 */
abstract class StepKernel {

    static StepKernel of(RecurrentConfig config) {
        return switch (config.cell()) {
            case RNN_TANH -> new RnnKernel(Activation.TANH);
            case RNN_RELU -> new RnnKernel(Activation.RELU);
            case LSTM -> new LstmKernel();
            case GRU -> config.gruForm() == GruForm.PYTORCH ? new GruKernel() : new OriginalGruKernel();
        };
    }

    /**
     * Called once the input projection's GEMM has written {@code buf.gates}: adds the bias rows to it
     * ({@code bias_ih}, and {@code bias_hh} too where the cell adds it to the same sum) and prepares any other
     * per-call buffer. Here both biases are summed once into one row, so the large gate buffer is passed over
     * once.
     */
    void prepareForward(Backend be, DirectionParameters p, DirectionBuffers buf) {
        if (p.biasIh() != null) {
            be.add(p.biasIh().value(), p.biasHh().value(), buf.inputBias);
            be.addRowVector(buf.gates, buf.inputBias, buf.gates);
        }
    }

    /**
     * The whole forward recurrence of one direction of a layer, as one backend call (which a backend may run as one
     * kernel): prepares the biases like {@link #prepareForward}, then fills {@code buf.states} (and cells) from the
     * initial state's block, in the direction's order ({@code p.time()}), at each step on the rows that run then.
     * Returns false, having done nothing, where the cell has no such call; the caller then runs the steps.
     *
     * @param activeRows the rows that run at each step (the batch sorted longest first), or null for all
     */
    boolean forwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, int[] activeRows) {
        return false;
    }

    /**
     * One step forward on the active rows, for a cell without {@link #forwardSequence}: {@code step.atTime(buf.gates)}
     * holds the input projection and biases; writes the new state into {@code step.next(buf.states)} (and cells).
     * The cells with a whole-sequence call never get here.
     *
     * @param recurrent the backend's product with this direction's {@code W_hh}, made for the whole sequence
     */
    void forward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step,
                 RecurrentProduct recurrent) {
        throw new IllegalStateException(getClass().getSimpleName() + " runs whole sequences, not steps");
    }

    /**
     * The backward recurrence of one direction of a layer, as one backend call (which a backend may run as one
     * kernel): at each step, in the reverse of the forward's order, what {@link #backward} does on the rows that ran
     * then, after adding that step's rows of {@code dOutput}. The forward direction stops at step {@code first}
     * (truncated BPTT); the reverse direction, never truncated, has {@code first == 0}. Returns false, having done
     * nothing, where the cell has no such call; the caller then runs the steps.
     *
     * @param dOutput    this direction's dL/d(output) of every step {@code [T*B, H]}, or null for none
     * @param activeRows the rows that ran at each step from {@code first} on, or null for all
     */
    boolean backwardSequence(Backend be, DirectionParameters p, DirectionBuffers buf, Tensor dOutput, int first,
                             int batch, int[] activeRows) {
        return false;
    }

    /** The rows of a time-major buffer from step {@code first} on (a state buffer keeps its extra block); null stays null. */
    static Tensor fromStep(Backend be, Tensor sequence, int first, int batch) {
        return sequence == null ? null : be.viewRows(sequence, first * batch, sequence.rows() - first * batch);
    }

    /**
     * One step backward on the active rows, for a cell without {@link #backwardSequence}:
     * {@code step.head(buf.dHidden)} holds dL/dh of the step's output state (and dCell of its cell state); writes the step's gate gradients into
     * {@code buf.dGates} (and {@code buf.dHiddenProjection}) and leaves dL/d(previous state) in {@code buf.dHidden} /
     * {@code buf.dCell}. The cells with a whole-sequence call never get here.
     */
    void backward(Backend be, DirectionParameters p, DirectionBuffers buf, StepRows step) {
        throw new IllegalStateException(getClass().getSimpleName() + " runs whole sequences, not steps");
    }

    /**
     * Adds the recurrent weights' and biases' gradients of all steps at once.
     *
     * @param previousStates {@code [T*B, H]}: row {@code t*B + i} is the state step {@code t} read
     */
    void accumulateRecurrentGradients(Backend be, DirectionParameters p, DirectionBuffers buf,
                                      Tensor previousStates) {
        be.gemm(true, false, 1, buf.dGates, previousStates, 1, p.weightHh().grad());
        if (p.biasIh() != null) {
            // both biases enter the same sum, so their gradients are the same column sums: one pass over dGates
            be.columnSums(buf.dGates, 0, buf.dBias);
            be.add(p.biasIh().grad(), buf.dBias, p.biasIh().grad());
            be.add(p.biasHh().grad(), buf.dBias, p.biasHh().grad());
        }
    }
}
