package dev.unroll.backend.cuda;

import java.util.Locale;

/**
 * The persistent forward kernels of each cell: the cluster kernel (persistent_cluster.cu, preferred where
 * {@link ClusterPlan} fits) and the grid kernel (persistent_{lstm,gru,rnn}.cu, where {@link PersistentPlan} fits),
 * with the cell's gates per hidden unit.
 */
enum PersistentCell {
    LSTM(PersistentPlan.LSTM_GATES, Kernel.LSTM_CLUSTER_FORWARD, Kernel.LSTM_PERSISTENT_FORWARD),
    GRU(PersistentPlan.GRU_GATES, Kernel.GRU_CLUSTER_FORWARD, Kernel.GRU_PERSISTENT_FORWARD),
    RNN(PersistentPlan.RNN_GATES, Kernel.RNN_CLUSTER_FORWARD, Kernel.RNN_PERSISTENT_FORWARD);

    final int gates;
    final Kernel clusterKernel;
    final Kernel gridKernel;

    PersistentCell(int gates, Kernel clusterKernel, Kernel gridKernel) {
        this.gates = gates;
        this.clusterKernel = clusterKernel;
        this.gridKernel = gridKernel;
    }

    /** {@code lstm}, {@code gru} or {@code rnn}. */
    static PersistentCell of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
