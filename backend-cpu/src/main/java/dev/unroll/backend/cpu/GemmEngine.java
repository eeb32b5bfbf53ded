package dev.unroll.backend.cpu;

import dev.unroll.api.spi.Availability;

import java.util.Locale;
import java.util.Optional;

/**
 * The library that runs this backend's float32 GEMMs; float64 and the matrix-vector products of a batch of one
 * always take OpenBLAS (oneDNN has no double GEMM, and at one row the two measured alike).
 */
enum GemmEngine {
    /** oneDNN's {@code dnnl_sgemm}: the default where it loads. */
    ONEDNN,
    /** The OpenBLAS that ND4J bundles. */
    OPENBLAS;

    /** The setting's value that selects this engine. */
    String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this engine can run here, with the reason when not. */
    Availability availability() {
        return this == ONEDNN ? OneDnn.availability() : Nd4jRuntime.availability();
    }

    /** oneDNN where it loads, otherwise OpenBLAS. */
    static GemmEngine preferred() {
        return ONEDNN.availability().available() ? ONEDNN : OPENBLAS;
    }

    /** The engine a setting names ({@code onednn} or {@code openblas}, any case), if any. */
    static Optional<GemmEngine> parse(String value) {
        for (GemmEngine e : values()) {
            if (e.settingValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
