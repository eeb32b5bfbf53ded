package dev.unroll.cells;

import dev.unroll.api.Tensor;

/**
 * The result of {@link RecurrentStack#forward}, holding what {@link RecurrentStack#backward} needs. The tensors
 * it returns belong to the pass: read them before {@link #close()}, which hands the pass's buffers back to
 * its stack for the next batch of the same shape.
 */
public final class RecurrentPass implements AutoCloseable {
    private final RecurrentStack stack;
    private final Workspace workspace;
    private final BatchOrder order;
    private final boolean hiddenGiven;
    private final boolean cellGiven;
    private final boolean dropoutApplied;
    private boolean closed;

    RecurrentPass(RecurrentStack stack, Workspace workspace, BatchOrder order, boolean hiddenGiven,
                  boolean cellGiven, boolean dropoutApplied) {
        this.stack = stack;
        this.workspace = workspace;
        this.order = order;
        this.hiddenGiven = hiddenGiven;
        this.cellGiven = cellGiven;
        this.dropoutApplied = dropoutApplied;
    }

    /** The last layer's output {@code [T, B, D*H]}, both directions concatenated; zero past each sequence's length. */
    public Tensor output() {
        return open().output;
    }

    /**
     * The final hidden state {@code [L*D, B, H]}, row {@code layer*D + direction}: each sequence's state after its
     * own last step (the reverse direction's after step 0).
     */
    public Tensor finalHidden() {
        return open().finalHidden;
    }

    /** The LSTM's final cell state {@code [L*D, B, H]}, like {@link #finalHidden()}; null for other cells. */
    public Tensor finalCell() {
        return open().finalCell;
    }

    /** The sequence length {@code T}. */
    public int steps() {
        return workspace.steps();
    }

    /** The batch size {@code B}. */
    public int batch() {
        return workspace.batch();
    }

    RecurrentStack stack() {
        return stack;
    }

    Workspace workspace() {
        return open();
    }

    BatchOrder order() {
        return order;
    }

    boolean hiddenGiven() {
        return hiddenGiven;
    }

    boolean cellGiven() {
        return cellGiven;
    }

    boolean dropoutApplied() {
        return dropoutApplied;
    }

    private Workspace open() {
        if (closed) {
            throw new IllegalStateException("this RecurrentPass is closed");
        }
        return workspace;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stack.giveBack(workspace);
        }
    }
}
