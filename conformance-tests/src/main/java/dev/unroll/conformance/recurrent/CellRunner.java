package dev.unroll.conformance.recurrent;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradients;
import dev.unroll.cells.Parameter;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.conformance.HostTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link CellCase} through {@link RecurrentStack} on a backend and downloads everything. Host values are
 * uploaded as they are (a float32 backend rounds them), so a float32 run differs from the float64 oracle by its
 * own arithmetic and by the rounding of its inputs.
 */
public final class CellRunner {
    private CellRunner() {
    }

    /** Forward and full BPTT; the result has every gradient. */
    public static CellResult forwardBackward(Backend be, DType dtype, CellCase c) {
        return run(be, dtype, c, true);
    }

    /** Forward only: outputs and final states, no gradients. */
    public static CellResult forward(Backend be, DType dtype, CellCase c) {
        return run(be, dtype, c, false);
    }

    /**
     * Forward and full BPTT on a stack that already exists (configured for the case): loads the case's
     * parameters, zeroes the gradients, and keeps the stack's cached buffers, so a second call reuses them.
     */
    public static CellResult forwardBackward(RecurrentStack stack, CellCase c) {
        load(stack, c);
        stack.zeroGrad();
        return run(stack, c, true);
    }

    private static CellResult run(Backend be, DType dtype, CellCase c, boolean backward) {
        try (RecurrentStack stack = new RecurrentStack(be, dtype, c.config())) {
            load(stack, c);
            return run(stack, c, backward);
        }
    }

    private static CellResult run(RecurrentStack stack, CellCase c, boolean backward) {
        Backend be = stack.backend();
        DType dtype = stack.dtype();
        List<Tensor> inputs = new ArrayList<>();
        try {
            stack.setDropoutCall(c.dropoutCall());
            Tensor x = upload(be, dtype, c.x(), inputs);
            Tensor h0 = upload(be, dtype, c.h0(), inputs);
            Tensor c0 = upload(be, dtype, c.c0(), inputs);
            try (RecurrentPass pass = stack.forward(x, h0, c0, c.lengths(), c.training())) {
                HostTensor y = HostTensor.download(pass.output());
                HostTensor hN = HostTensor.download(pass.finalHidden());
                HostTensor cN = pass.finalCell() == null ? null : HostTensor.download(pass.finalCell());
                Map<String, HostTensor> grads = new LinkedHashMap<>();
                if (backward) {
                    Tensor dy = upload(be, dtype, c.dy(), inputs);
                    Tensor dhN = upload(be, dtype, c.dhN(), inputs);
                    Tensor dcN = upload(be, dtype, c.dcN(), inputs);
                    try (InputGradients g = stack.backward(pass, dy, dhN, dcN)) {
                        grads.put("x", HostTensor.download(g.dx()));
                        grads.put("h0", HostTensor.download(g.dh0()));
                        if (g.dc0() != null) {
                            grads.put("c0", HostTensor.download(g.dc0()));
                        }
                    }
                    for (Parameter p : stack.parameters()) {
                        grads.put(p.name(), HostTensor.download(p.grad()));
                    }
                }
                return new CellResult(y, hN, cN, grads);
            }
        } finally {
            inputs.forEach(Tensor::close);
        }
    }

    /** Uploads every parameter value of the case; a learned initial state it does not name stays zero. */
    public static void load(RecurrentStack stack, CellCase c) {
        for (String name : c.params().keySet()) {
            stack.parameter(name); // fails with the stack's names if the case names a parameter it lacks
        }
        for (Parameter p : stack.parameters()) {
            HostTensor value = c.params().get(p.name());
            if (value == null) {
                if (p.name().startsWith("h0_") || p.name().startsWith("c0_")) {
                    continue;
                }
                throw new IllegalArgumentException(c.name() + ": no value for parameter " + p.name());
            }
            if (!Arrays.equals(value.shape(), p.value().shape())) {
                throw new IllegalArgumentException(c.name() + ": parameter " + p.name() + " has shape "
                        + Arrays.toString(value.shape()) + " but the stack expects " + Arrays.toString(p.value().shape()));
            }
            p.value().copyFrom(value.values());
        }
    }

    private static Tensor upload(Backend be, DType dtype, HostTensor t, List<Tensor> owned) {
        if (t == null) {
            return null;
        }
        Tensor u = t.upload(be, dtype);
        owned.add(u);
        return u;
    }
}
