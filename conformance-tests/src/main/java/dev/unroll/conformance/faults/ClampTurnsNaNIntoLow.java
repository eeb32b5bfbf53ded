package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/** A clamp written as {@code !(x >= lo) ? lo : ...}, which turns NaN into {@code lo} and hides it. */
final class ClampTurnsNaNIntoLow extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("clamp-turns-nan-into-lo",
            "clamp maps NaN to lo instead of keeping NaN", ClampTurnsNaNIntoLow::new);

    ClampTurnsNaNIntoLow(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        double[] values = new double[Math.toIntExact(x.size())];
        delegate.download(x, values);
        for (int i = 0; i < values.length; i++) {
            values[i] = !(values[i] >= lo) ? lo : Math.min(values[i], hi);
        }
        delegate.upload(values, out);
    }
}
