package dev.unroll.cells;

/**
 * Whether {@link RecurrentStack#backward} computes dL/dx, the gradient with respect to the stack's input. Skipping
 * it saves one GEMM over all steps ({@code [T*B, G*H] x [G*H, inputSize]}) per direction of the first layer: what
 * PyTorch does when the input does not require grad (raw features, with nothing upstream to train).
 */
public enum InputGradient {
    /** dL/dx is computed and returned ({@link InputGradients#dx()}). */
    COMPUTE,
    /** dL/dx is not computed; {@link InputGradients#dx()} is null. */
    SKIP
}
