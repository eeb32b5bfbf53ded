package dev.unroll.conformance;

import dev.unroll.api.DType;

/**
 * Rounds host values the way a backend stores them. The float32 oracle runs in float64 on inputs and
 * scalars already rounded to float32, so it measures only the backend's arithmetic, not the rounding of
 * its inputs (the API rounds scalars to the tensors' dtype too).
 */
public final class DTypeRounding {
    private DTypeRounding() {
    }

    public static double round(DType dtype, double x) {
        return switch (dtype) {
            case FLOAT32 -> (float) x;
            case FLOAT64 -> x;
        };
    }
}
