package dev.unroll.backend.cuda;

import java.util.Locale;

/**
 * The persistent kernels of each cell, with the cell's gates per hidden unit: forward, the cluster kernel
 * (persistent_cluster.cu, preferred where {@link ClusterPlan#forward} fits) and the grid kernel
 * (persistent_{lstm,gru,rnn}.cu, where {@link PersistentPlan} fits); backward, the cluster kernel only (where
 * {@link ClusterPlan#backward} fits).
 */
enum PersistentCell {
    LSTM(PersistentPlan.LSTM_GATES, Kernel.LSTM_CLUSTER_FORWARD, Kernel.LSTM_PERSISTENT_FORWARD,
            Kernel.LSTM_CLUSTER_BACKWARD),
    GRU(PersistentPlan.GRU_GATES, Kernel.GRU_CLUSTER_FORWARD, Kernel.GRU_PERSISTENT_FORWARD,
            Kernel.GRU_CLUSTER_BACKWARD),
    RNN(PersistentPlan.RNN_GATES, Kernel.RNN_CLUSTER_FORWARD, Kernel.RNN_PERSISTENT_FORWARD,
            Kernel.RNN_CLUSTER_BACKWARD);

    final int gates;
    final Kernel clusterKernel;
    final Kernel gridKernel;
    final Kernel clusterBackwardKernel;

    PersistentCell(int gates, Kernel clusterKernel, Kernel gridKernel, Kernel clusterBackwardKernel) {
        this.gates = gates;
        this.clusterKernel = clusterKernel;
        this.gridKernel = gridKernel;
        this.clusterBackwardKernel = clusterBackwardKernel;
    }

    /** {@code lstm}, {@code gru} or {@code rnn}. */
    static PersistentCell of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
