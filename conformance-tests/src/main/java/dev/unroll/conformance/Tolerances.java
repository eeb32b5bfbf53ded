package dev.unroll.conformance;

import dev.unroll.api.DType;

/**
 * The kit's named tolerances, per dtype. Backend authors may loosen them for their backend by overriding
 * {@link ConformanceKit#primitiveTolerance} or {@link ConformanceKit#cellTolerance}, and must say why.
 *
 * <p>The inputs the kit generates keep every result of order one (GEMM operands are scaled by
 * {@code 1/sqrt(k)}), so one absolute tolerance fits every shape.
 */
public final class Tolerances {
    private Tolerances() {
    }

    /**
     * One primitive in float32 against the float64 oracle on the same float32 inputs: a correctly rounded
     * result is within 6e-8 relative (half an ulp); rtol 1e-5 is about 170 such roundings, room for a
     * blocked GEMM's partial sums (EJML's worst, k = 257, is a sixth of it) or a fast {@code expf}, and
     * nothing for a wrong element. atol 1e-6 covers results that cancel to near zero.
     */
    public static final Tolerance PRIMITIVE_FLOAT32 = new Tolerance(1e-6, 1e-5);

    /**
     * One primitive in float64: summation order and libm differ by about 1e-15 (EJML's worst is under 1% of
     * this); a float32 slip anywhere (1e-8) is far outside it.
     */
    public static final Tolerance PRIMITIVE_FLOAT64 = new Tolerance(1e-13, 1e-12);

    /**
     * A recurrent cell over a whole sequence in float32 (many chained steps and GEMMs) against PyTorch or
     * the float64 path.
     */
    public static final Tolerance CELL_FLOAT32 = new Tolerance(1e-5, 1e-4);

    /** A recurrent cell over a whole sequence in float64. */
    public static final Tolerance CELL_FLOAT64 = new Tolerance(1e-12, 1e-9);

    /** The tolerance for one primitive operation in this dtype. */
    public static Tolerance forPrimitives(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> PRIMITIVE_FLOAT32;
            case FLOAT64 -> PRIMITIVE_FLOAT64;
        };
    }

    /** The tolerance for whole cells and sequences in this dtype. */
    public static Tolerance forCells(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> CELL_FLOAT32;
            case FLOAT64 -> CELL_FLOAT64;
        };
    }
}
