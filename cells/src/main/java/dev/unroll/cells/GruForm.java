package dev.unroll.cells;

/** Where a GRU applies its reset gate. */
public enum GruForm {
    /**
     * PyTorch's and cuDNN's form, the reset gate applied after the recurrent product:
     * {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}.
     */
    PYTORCH,
    /**
     * The original form of Cho et al. (2014), the reset gate applied to the state before the product:
     * {@code n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)}. PyTorch has no such module, so golden fixtures
     * cannot check it; finite differences do.
     */
    ORIGINAL
}
