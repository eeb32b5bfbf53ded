package dev.unroll.cells;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The recurrent cells, with PyTorch's gate layouts. */
public enum CellType {
    /** {@code h = tanh(W_ih x + b_ih + W_hh h_prev + b_hh)}. */
    RNN_TANH(1, "rnn_tanh"),
    /** {@code h = relu(W_ih x + b_ih + W_hh h_prev + b_hh)}. */
    RNN_RELU(1, "rnn_relu"),
    /** Long short-term memory; gate rows in PyTorch's order i, f, g, o. */
    LSTM(4, "lstm"),
    /** Gated recurrent unit; gate rows in PyTorch's order r, z, n. See {@link GruForm}. */
    GRU(3, "gru");

    private final int gateCount;
    private final String id;

    CellType(int gateCount, String id) {
        this.gateCount = gateCount;
        this.id = id;
    }

    /** Number of gate blocks of {@code hiddenSize} rows in {@code weight_ih} and {@code weight_hh}. */
    public int gateCount() {
        return gateCount;
    }

    /** The name used by the golden fixtures and the command line: rnn_tanh, rnn_relu, lstm, gru. */
    public String id() {
        return id;
    }

    /** The cell with this {@link #id()} (case-insensitive). */
    public static CellType fromId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (CellType c : values()) {
            if (c.id.equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cell type '" + id + "'; known: "
                + Arrays.stream(values()).map(CellType::id).collect(Collectors.joining(", ")));
    }
}
