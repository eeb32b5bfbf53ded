package dev.unroll.backend.cuda;

import java.util.Locale;

/** The three persistent forward kernels with their gates per hidden unit, for the GPU tests and benchmarks. */
enum PersistentCell {
    LSTM(PersistentPlan.LSTM_GATES, Kernel.LSTM_PERSISTENT_FORWARD),
    GRU(PersistentPlan.GRU_GATES, Kernel.GRU_PERSISTENT_FORWARD),
    RNN(PersistentPlan.RNN_GATES, Kernel.RNN_PERSISTENT_FORWARD);

    final int gates;
    final Kernel kernel;

    PersistentCell(int gates, Kernel kernel) {
        this.gates = gates;
        this.kernel = kernel;
    }

    /** {@code lstm}, {@code gru} or {@code rnn}. */
    static PersistentCell of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
