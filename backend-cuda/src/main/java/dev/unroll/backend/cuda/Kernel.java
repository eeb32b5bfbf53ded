package dev.unroll.backend.cuda;

/**
 * Every kernel the backend launches: the PTX module it lives in (a {@code .cu} file of
 * {@code src/main/cuda}) and its {@code extern "C"} entry name. The argument lists are documented in the
 * {@code .cu} sources; {@link CudaBackend} passes them in that order.
 */
enum Kernel {
    ADD("elementwise", "add_f32"),
    SUB("elementwise", "sub_f32"),
    MUL("elementwise", "mul_f32"),
    DIV("elementwise", "div_f32"),
    SCALE("elementwise", "scale_f32"),
    ADD_SCALAR("elementwise", "add_scalar_f32"),
    AXPY("elementwise", "axpy_f32"),
    SQRT("elementwise", "sqrt_f32"),
    CLAMP("elementwise", "clamp_f32"),
    TANH("elementwise", "tanh_f32"),
    SIGMOID("elementwise", "sigmoid_f32"),
    RELU("elementwise", "relu_f32"),
    TANH_BACKWARD("elementwise", "tanh_backward_f32"),
    SIGMOID_BACKWARD("elementwise", "sigmoid_backward_f32"),
    RELU_BACKWARD("elementwise", "relu_backward_f32"),
    ADD_ROW_VECTOR("elementwise", "add_row_vector_f32"),
    MUL_COLUMN_VECTOR("elementwise", "mul_column_vector_f32"),
    COPY_COLUMNS("elementwise", "copy_columns_f32"),

    SGEMM_NN("gemm", "sgemm_nn"),
    SGEMM_NT("gemm", "sgemm_nt"),
    SGEMM_TN("gemm", "sgemm_tn"),
    SGEMM_TT("gemm", "sgemm_tt"),
    SGEMM_LARGE_NN("gemm", "sgemm_large_nn"),
    SGEMM_LARGE_NT("gemm", "sgemm_large_nt"),
    SGEMM_LARGE_TN("gemm", "sgemm_large_tn"),
    SGEMM_LARGE_TT("gemm", "sgemm_large_tt"),
    SGEMM_SKINNY_NN("gemm", "sgemm_skinny_nn"),
    SGEMM_SKINNY_NT("gemm", "sgemm_skinny_nt"),
    SGEMM_SKINNY_TN("gemm", "sgemm_skinny_tn"),
    SGEMM_SKINNY_TT("gemm", "sgemm_skinny_tt"),
    SGEMM_V2_128X128_NN("gemm", "sgemm_v2_128x128_nn"),
    SGEMM_V2_128X128_NT("gemm", "sgemm_v2_128x128_nt"),
    SGEMM_V2_128X128_TN("gemm", "sgemm_v2_128x128_tn"),
    SGEMM_V2_128X128_TT("gemm", "sgemm_v2_128x128_tt"),
    SGEMM_V2_128X64_NN("gemm", "sgemm_v2_128x64_nn"),
    SGEMM_V2_128X64_NT("gemm", "sgemm_v2_128x64_nt"),
    SGEMM_V2_128X64_TN("gemm", "sgemm_v2_128x64_tn"),
    SGEMM_V2_128X64_TT("gemm", "sgemm_v2_128x64_tt"),
    SGEMM_V2_64X64_NN("gemm", "sgemm_v2_64x64_nn"),
    SGEMM_V2_64X64_NT("gemm", "sgemm_v2_64x64_nt"),
    SGEMM_V2_64X64_TN("gemm", "sgemm_v2_64x64_tn"),
    SGEMM_V2_64X64_TT("gemm", "sgemm_v2_64x64_tt"),
    SGEMM_SPLIT_K_SUM("gemm", "sgemm_split_k_sum"),

    COLUMN_SUMS("reductions", "column_sums_f32"),
    SUM_OF_SQUARES_PARTIAL("reductions", "sum_of_squares_partial_f32"),
    SUM_F64("reductions", "sum_f64"),
    MAX_ABS_PARTIAL("reductions", "max_abs_partial_f32"),
    MAX_F32("reductions", "max_f32"),

    GATHER_ROWS("embeddings", "gather_rows_f32"),
    SCATTER_ADD_ROWS("embeddings", "scatter_add_rows_f32"),

    SOFTMAX_CROSS_ENTROPY("loss", "softmax_cross_entropy_f32"),
    SOFTMAX_CROSS_ENTROPY_BACKWARD("loss", "softmax_cross_entropy_backward_f32"),

    LSTM_STEP_FORWARD("recurrent_steps", "lstm_step_forward_f32"),
    LSTM_STEP_BACKWARD("recurrent_steps", "lstm_step_backward_f32"),
    GRU_STEP_FORWARD("recurrent_steps", "gru_step_forward_f32"),
    GRU_STEP_BACKWARD("recurrent_steps", "gru_step_backward_f32"),

    ADAM("optimizer", "adam_f32"),

    LSTM_PERSISTENT_FORWARD("persistent_lstm", "lstm_persistent_forward_f32"),
    GRU_PERSISTENT_FORWARD("persistent_gru", "gru_persistent_forward_f32"),
    RNN_PERSISTENT_FORWARD("persistent_rnn", "rnn_persistent_forward_f32"),
    LSTM_CLUSTER_FORWARD("persistent_cluster", "lstm_cluster_forward_f32"),
    GRU_CLUSTER_FORWARD("persistent_cluster", "gru_cluster_forward_f32"),
    RNN_CLUSTER_FORWARD("persistent_cluster", "rnn_cluster_forward_f32"),
    LSTM_CLUSTER_BACKWARD("persistent_cluster", "lstm_cluster_backward_f32"),
    GRU_CLUSTER_BACKWARD("persistent_cluster", "gru_cluster_backward_f32"),
    RNN_CLUSTER_BACKWARD("persistent_cluster", "rnn_cluster_backward_f32");

    private final String module;
    private final String entry;

    Kernel(String module, String entry) {
        this.module = module;
        this.entry = entry;
    }

    /** The PTX module: {@code <module>.ptx} as a resource, compiled from {@code <module>.cu}. */
    String module() {
        return module;
    }

    /** The kernel's entry name in the PTX. */
    String entry() {
        return entry;
    }
}
