package dev.unroll.api;

/**
 * One step's recurrent product in a whole-sequence loop ({@link SequenceSteps}): {@code into += hPrev W_hh^T}.
 * The loops take it as a parameter so that a backend can run the product on a layout of {@code W_hh} of its
 * own, prepared once per sequence (a transposed copy, say), and keep the rest of the reference loop.
 */
@FunctionalInterface
public interface RecurrentProduct {
    /**
     * Adds {@code hPrev W_hh^T} to {@code into}.
     *
     * @param hPrev {@code [B, H]} the previous state
     * @param into  {@code [B, G*H]} the step's gate (or projection) rows
     */
    void addTo(Tensor hPrev, Tensor into);

    /** The product as one GEMM with {@code weightHh} ({@code [G*H, H]}) as stored. */
    static RecurrentProduct of(Backend backend, Tensor weightHh) {
        return (hPrev, into) -> backend.gemm(false, true, 1, hPrev, weightHh, 1, into);
    }
}
