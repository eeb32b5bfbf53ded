package dev.unroll.api;

/**
 * The recurrent product of a sequence's steps, {@code into += hPrev W_hh^T}, from
 * {@link Backend#recurrentProduct}: a backend may prepare {@code W_hh} once for all the steps of a sequence (a
 * transposed copy, say) and release it on {@link #close()}. Valid until closed, and only while {@code W_hh}
 * keeps the values it had when the product was made.
 */
public interface RecurrentProduct extends AutoCloseable {
    /**
     * Adds {@code hPrev W_hh^T} to {@code into}.
     *
     * @param hPrev {@code [B, H]} the previous state, at most the rows the product was made for
     * @param into  {@code [B, G*H]} the step's gate (or projection) rows
     */
    void addTo(Tensor hPrev, Tensor into);

    /** Releases what the backend prepared; the default holds nothing. */
    @Override
    default void close() {
    }

    /** The product as one GEMM with {@code weightHh} ({@code [G*H, H]}) as stored: the SPI's default. */
    static RecurrentProduct of(Backend backend, Tensor weightHh) {
        StepShapes.required("recurrentProduct", "weightHh", weightHh); // now, not at the first step's GEMM
        return (hPrev, into) -> backend.gemm(false, true, 1, hPrev, weightHh, 1, into);
    }
}
