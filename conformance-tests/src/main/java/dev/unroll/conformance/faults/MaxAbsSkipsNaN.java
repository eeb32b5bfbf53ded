package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * The max-abs loop written as {@code if (|x| > max) max = |x|}: a comparison with NaN is false, so NaN is
 * skipped and gradient clipping never sees that the gradient is broken.
 */
final class MaxAbsSkipsNaN extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("max-abs-skips-nan",
            "maxAbs ignores NaN elements (if (|x| > max) is false for NaN)", MaxAbsSkipsNaN::new);

    MaxAbsSkipsNaN(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public double maxAbs(Tensor t) {
        double[] values = new double[Math.toIntExact(t.size())];
        delegate.download(t, values);
        double max = 0;
        for (double x : values) {
            if (Math.abs(x) > max) {
                max = Math.abs(x);
            }
        }
        return max;
    }
}
