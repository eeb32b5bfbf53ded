package dev.unroll.api;

/** Element-wise nonlinearities whose derivative can be computed from the output alone. */
public enum Activation {
    TANH,
    RELU,
    SIGMOID
}
