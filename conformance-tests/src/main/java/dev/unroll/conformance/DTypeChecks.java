package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.UnsupportedDTypeException;

import java.util.List;

/**
 * Dtype support: FLOAT32 is required; FLOAT64 is optional, but a backend without it must refuse it with
 * {@link UnsupportedDTypeException} (and say so in {@link Backend#supports}), never fall back silently.
 */
public final class DTypeChecks {
    private DTypeChecks() {
    }

    /** FLOAT32 must be supported and work. */
    public static List<Check> required(KitTarget target) {
        return List.of(new Check("dtypes", "FLOAT32 is supported", () -> {
            try (Backend be = target.create()) {
                if (!be.supports(DType.FLOAT32)) {
                    throw new AssertionError(target.name() + ": supports(FLOAT32) is false, but every backend must"
                            + " support FLOAT32");
                }
                roundTrip(target, be, DType.FLOAT32);
            }
        }));
    }

    /** An optional dtype works when supported, and is refused with the specified exception when not. */
    public static List<Check> optional(KitTarget target, DType dtype) {
        return List.of(new Check("dtypes", dtype + " works, or is refused with UnsupportedDTypeException", () -> {
            try (Backend be = target.create()) {
                if (be.supports(dtype)) {
                    roundTrip(target, be, dtype);
                    return;
                }
                try {
                    be.allocate(dtype, 2, 3).close();
                } catch (UnsupportedDTypeException e) {
                    return;
                } catch (RuntimeException e) {
                    AssertionError failure = new AssertionError(target.name() + ": supports(" + dtype
                            + ") is false, so allocate(" + dtype + ") must throw UnsupportedDTypeException, but it"
                            + " threw " + e);
                    failure.initCause(e);
                    throw failure;
                }
                throw new AssertionError(target.name() + ": supports(" + dtype + ") is false, but allocate(" + dtype
                        + ") made a tensor instead of throwing UnsupportedDTypeException");
            }
        }));
    }

    /** Allocates, uploads and downloads a small tensor: the least a supported dtype must do. */
    private static void roundTrip(KitTarget target, Backend be, DType dtype) {
        HostTensor x = new HostTensor(new int[] {2, 3}, new double[] {1, -2, 0.5, 3, -0.25, 8});
        try (Tensor t = x.upload(be, dtype)) {
            if (t.dtype() != dtype) {
                throw new AssertionError(target.name() + ": a tensor allocated as " + dtype + " reports dtype "
                        + t.dtype());
            }
            new Verifier(target.name(), "upload and download", dtype, new Tolerance(0, 0)).tensor("t", x, t);
        }
    }
}
