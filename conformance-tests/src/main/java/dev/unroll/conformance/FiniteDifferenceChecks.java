package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.Parameter;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;
import dev.unroll.conformance.recurrent.CellScenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gradient oracle that needs no PyTorch: on random small models in FLOAT64, every element of every
 * parameter (learned initial states included), of the input and of a given initial state is nudged by
 * {@code +-h}, and the central difference {@code (L(+h) - L(-h)) / 2h} of the loss
 * {@code L = sum(y*dy) + sum(h_n*dh_n) [+ sum(c_n*dc_n)]} must equal the gradient backward computed. Covers what
 * the fixtures cannot: the original GRU form, learned initial states and dropout (with its mask fixed).
 */
public final class FiniteDifferenceChecks {
    public static final String GROUP = "finite-differences";

    /** The nudge: small enough that the truncation error {@code h^2 L'''} is about 1e-12. */
    static final double STEP = 1e-6;

    /**
     * A central difference in float64 carries a rounding error of about {@code 1e-16 |L| / h}, some 1e-9 for the
     * losses here, and a truncation error of about 1e-12; a wrong gradient term is off by far more.
     */
    public static final Tolerance FINITE_DIFFERENCES = new Tolerance(1e-7, 1e-6);

    private FiniteDifferenceChecks() {
    }

    /** One check per scenario, in FLOAT64; none when the target lacks FLOAT64. */
    public static List<Check> checks(KitTarget target) {
        List<Check> checks = new ArrayList<>();
        if (!target.dtypes().contains(DType.FLOAT64)) {
            return checks;
        }
        for (CellCase c : CellScenarios.all()) {
            String description = "finite differences " + c.name() + " FLOAT64";
            checks.add(new Check(GROUP, description, () -> {
                try (Backend be = target.create()) {
                    verify(be, c, new Verifier(target.name(), "finite differences " + c.name(), DType.FLOAT64,
                            FINITE_DIFFERENCES));
                }
            }));
        }
        return checks;
    }

    /** Compares every gradient backward computes for {@code c} with central differences; FLOAT64. */
    public static void verify(Backend be, CellCase c, Verifier verify) {
        DType dtype = DType.FLOAT64;
        CellResult analytic = CellRunner.forwardBackward(be, dtype, c);
        try (RecurrentStack stack = new RecurrentStack(be, dtype, c.config());
             Tensor x = c.x().upload(be, dtype);
             Tensor h0 = c.h0() == null ? null : c.h0().upload(be, dtype);
             Tensor c0 = c.c0() == null ? null : c.c0().upload(be, dtype)) {
            CellRunner.load(stack, c);
            Loss loss = () -> {
                stack.setDropoutCall(c.dropoutCall());
                try (RecurrentPass pass = stack.forward(x, h0, c0, c.lengths(), c.training())) {
                    return c.loss(new CellResult(HostTensor.download(pass.output()),
                            HostTensor.download(pass.finalHidden()),
                            pass.finalCell() == null ? null : HostTensor.download(pass.finalCell()), Map.of()));
                }
            };
            for (Parameter p : stack.parameters()) {
                verify.tensor("grad " + p.name(), centralDifferences(p.value(), loss), analytic.grads().get(p.name()));
            }
            verify.tensor("grad x", centralDifferences(x, loss), analytic.grads().get("x"));
            if (h0 != null) {
                verify.tensor("grad h0", centralDifferences(h0, loss), analytic.grads().get("h0"));
            }
            if (c0 != null) {
                verify.tensor("grad c0", centralDifferences(c0, loss), analytic.grads().get("c0"));
            }
        }
    }

    /** The loss of one forward pass at the tensors' current values. */
    @FunctionalInterface
    private interface Loss {
        double evaluate();
    }

    /** Central differences of the loss with respect to every element of {@code t}; leaves {@code t} as it was. */
    private static HostTensor centralDifferences(Tensor t, Loss loss) {
        double[] values = t.toDoubleArray();
        double[] gradient = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double original = values[i];
            values[i] = original + STEP;
            t.copyFrom(values);
            double plus = loss.evaluate();
            values[i] = original - STEP;
            t.copyFrom(values);
            double minus = loss.evaluate();
            values[i] = original;
            gradient[i] = (plus - minus) / (2 * STEP);
        }
        t.copyFrom(values);
        return new HostTensor(t.shape(), gradient);
    }
}
