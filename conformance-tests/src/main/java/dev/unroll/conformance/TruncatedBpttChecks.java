package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradients;
import dev.unroll.cells.Parameter;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellRunner;
import dev.unroll.conformance.recurrent.CellScenarios;
import dev.unroll.conformance.recurrent.RandomCellCases;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Truncated BPTT ({@code backward(..., maxSteps)}) against its definition: back-propagating through the last
 * {@code k} of {@code T} steps must give exactly the gradients of a second model that starts from the state
 * after step {@code T-k-1} as a given, detached initial state and runs only those {@code k} steps. So the
 * parameter gradients must match, dx must match on the last {@code k} steps and be zero before, and nothing may
 * reach the initial state. The truncated backward runs after a full one on the same pass (then {@code zeroGrad}),
 * so gradients the full one left in the pass's buffers for the steps before the window must not leak into it.
 */
public final class TruncatedBpttChecks {
    public static final String GROUP = "truncated-bptt";
    private static final int STEPS = 6;
    private static final int KEPT = 4;
    private static final int BATCH = 2;

    private TruncatedBpttChecks() {
    }

    /** One check per cell variant and dtype of the target: two unidirectional layers, given initial state. */
    public static List<Check> checks(KitTarget target, Function<DType, Tolerance> tolerance) {
        List<Check> checks = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (!target.dtypes().contains(dtype)) {
                continue;
            }
            for (CellScenarios.CellVariant v : CellScenarios.variants()) {
                RecurrentConfig config = RecurrentConfig.of(v.cell(), 3, 3).withGruForm(v.form()).withLayers(2);
                String description = "truncated BPTT " + v.name() + " last " + KEPT + " of " + STEPS + " steps";
                CellCase c = RandomCellCases.create(description, config,
                        new RandomCellCases.Batch(STEPS, BATCH, null, true), false, description.hashCode());
                checks.add(new Check(GROUP, description + " " + dtype, () -> {
                    try (Backend be = target.create()) {
                        verify(be, dtype, c, new Verifier(target.name(), description, dtype, tolerance.apply(dtype)));
                    }
                }));
            }
        }
        return checks;
    }

    private static void verify(Backend be, DType dtype, CellCase c, Verifier verify) {
        int cut = STEPS - KEPT;
        HostTensor xHead = c.x().timeSteps(0, cut);
        HostTensor xTail = c.x().timeSteps(cut, KEPT);
        HostTensor dyTail = c.dy().timeSteps(cut, KEPT);
        try (RecurrentStack stack = new RecurrentStack(be, dtype, c.config());
             RecurrentStack detached = new RecurrentStack(be, dtype, c.config());
             Tensor x = c.x().upload(be, dtype);
             Tensor h0 = c.h0().upload(be, dtype);
             Tensor c0 = c.c0() == null ? null : c.c0().upload(be, dtype);
             Tensor dy = c.dy().upload(be, dtype);
             Tensor dhN = c.dhN().upload(be, dtype);
             Tensor dcN = c.dcN() == null ? null : c.dcN().upload(be, dtype);
             Tensor head = xHead.upload(be, dtype);
             Tensor tail = xTail.upload(be, dtype);
             Tensor dyTailTensor = dyTail.upload(be, dtype)) {
            CellRunner.load(stack, c);
            CellRunner.load(detached, c);
            HostTensor truncatedDx;
            HostTensor truncatedDh0;
            try (RecurrentPass pass = stack.forward(x, h0, c0, null, false)) {
                stack.backward(pass, dy, dhN, dcN).close();
                stack.zeroGrad();
                try (InputGradients g = stack.backward(pass, dy, dhN, dcN, KEPT)) {
                    truncatedDx = HostTensor.download(g.dx());
                    truncatedDh0 = HostTensor.download(g.dh0());
                }
            }
            HostTensor expectedTailDx;
            try (RecurrentPass first = detached.forward(head, h0, c0, null, false);
                 RecurrentPass second = detached.forward(tail, first.finalHidden(), first.finalCell(), null, false);
                 InputGradients g = detached.backward(second, dyTailTensor, dhN, dcN)) {
                expectedTailDx = HostTensor.download(g.dx());
            }
            for (Parameter p : stack.parameters()) {
                verify.tensor("grad " + p.name(), HostTensor.download(detached.parameter(p.name()).grad()), p.grad());
            }
            verify.tensor("grad x (last " + KEPT + " steps)", expectedTailDx, truncatedDx.timeSteps(cut, KEPT));
            verify.tensor("grad x (steps before the window)", HostTensor.zeros(xHead.shape()),
                    truncatedDx.timeSteps(0, cut));
            verify.tensor("grad h0", HostTensor.zeros(truncatedDh0.shape()), truncatedDh0);
        }
    }
}
