package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * A fused GRU step with the update gate's roles swapped, {@code h = z * n + (1 - z) * hPrev}: a formula
 * found in papers and some libraries, but not PyTorch's, so PyTorch weights would not load.
 */
final class GruUpdateGateSwapped extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("gru-update-gate-swapped",
            "gruStepForward computes h = z * n + (1 - z) * hPrev instead of PyTorch's (1 - z) * n + z * hPrev",
            GruUpdateGateSwapped::new);

    GruUpdateGateSwapped(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void gruStepForward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        super.gruStepForward(gates, hProj, hPrev, h);
        int hidden = h.cols();
        // z n + (1 - z) hPrev = hPrev + n - ((1 - z) n + z hPrev)
        try (Tensor n = scratchLike(h)) {
            delegate.copyColumns(gates, 2 * hidden, n, 0, hidden);
            delegate.sub(n, h, h);
            delegate.add(h, hPrev, h);
        }
    }
}
