package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;

/**
 * FLOAT64 accepted but kept at float32 precision, a silent fallback: every value uploaded as FLOAT64 is
 * rounded to float. Gradient checks that rely on FLOAT64 as their oracle would then mean nothing.
 */
final class Float64StoredAsFloat32 extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("float64-stored-as-float32",
            "upload rounds FLOAT64 values to float32 precision (a silent dtype fallback)",
            Float64StoredAsFloat32::new);

    Float64StoredAsFloat32(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void upload(double[] src, Tensor dst) {
        if (dst.dtype() != DType.FLOAT64) {
            delegate.upload(src, dst);
            return;
        }
        double[] rounded = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            rounded[i] = (float) src[i];
        }
        delegate.upload(rounded, dst);
    }
}
