package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Element-wise arithmetic (add, sub, mul, div, scale, addScalar, axpy, sqrt, clamp) on edge shapes, with a
 * separate output, in place (the output is an input), and on row views and reshapes.
 */
final class ElementwiseChecks {
    private ElementwiseChecks() {
    }

    /**
     * Edge shapes, sizes that are no multiple of a vector width, and [8, 16]: 128 elements, an exact multiple of
     * every power-of-two width up to 128, where a vectorised loop whose tail starts one block late leaves the last
     * block unwritten.
     */
    private static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {37, 29}, {3, 4, 5}, {8, 16}};

    /** Makes the inputs of an operation for a shape. */
    private interface Inputs {
        HostTensor[] make(RandomData random, int[] shape);
    }

    /** Calls the operation on the backend, writing {@code out} (which may be one of {@code in}). */
    private interface Call {
        void run(Backend be, Tensor[] in, Tensor out);
    }

    /**
     * @param arity  how many inputs; each may also be the output
     * @param oracle the expected output from the inputs
     */
    private record Op(String name, int arity, Inputs inputs, Call call, Function<HostTensor[], HostTensor> oracle) {
    }

    static void addTo(CheckList list) {
        double alpha = list.round(-1.5);
        double value = list.round(0.375);
        double lo = list.round(-1);
        double hi = list.round(0.5);
        Inputs two = (r, s) -> new HostTensor[] {r.uniform(-2, 2, s), r.uniform(-2, 2, s)};
        Inputs one = (r, s) -> new HostTensor[] {r.uniform(-2, 2, s)};
        List<Op> ops = List.of(
                new Op("add", 2, two, (be, in, out) -> be.add(in[0], in[1], out),
                        in -> HostReference.zip(in[0], in[1], Double::sum)),
                new Op("sub", 2, two, (be, in, out) -> be.sub(in[0], in[1], out),
                        in -> HostReference.zip(in[0], in[1], (a, b) -> a - b)),
                new Op("mul", 2, two, (be, in, out) -> be.mul(in[0], in[1], out),
                        in -> HostReference.zip(in[0], in[1], (a, b) -> a * b)),
                new Op("div", 2, (r, s) -> new HostTensor[] {r.uniform(-2, 2, s), r.awayFromZero(0.25, 2, s)},
                        (be, in, out) -> be.div(in[0], in[1], out),
                        in -> HostReference.zip(in[0], in[1], (a, b) -> a / b)),
                new Op("scale(alpha=" + alpha + ")", 1, one, (be, in, out) -> be.scale(alpha, in[0], out),
                        in -> HostReference.map(in[0], x -> alpha * x)),
                new Op("addScalar(value=" + value + ")", 1, one, (be, in, out) -> be.addScalar(in[0], value, out),
                        in -> HostReference.map(in[0], x -> x + value)),
                new Op("sqrt", 1, (r, s) -> new HostTensor[] {withZero(r.uniform(0, 4, s))},
                        (be, in, out) -> be.sqrt(in[0], out), in -> HostReference.map(in[0], Math::sqrt)),
                new Op("clamp(lo=" + lo + ", hi=" + hi + ")", 1,
                        (r, s) -> new HostTensor[] {withSpecials(r.uniform(-3, 3, s), Double.NaN, lo, hi)},
                        (be, in, out) -> be.clamp(in[0], lo, hi, out),
                        in -> HostReference.map(in[0], x -> HostReference.clamp(x, lo, hi))));
        for (Op op : ops) {
            for (int[] shape : SHAPES) {
                String s = " " + Arrays.toString(shape);
                list.add("elementwise", op.name + s + ", separate output",
                        (be, verify, random) -> run(be, verify, list, op, op.inputs.make(random, shape), -1));
                for (int alias = 0; alias < op.arity; alias++) {
                    int aliased = alias;
                    list.add("elementwise", op.name + s + ", in place (out is input " + alias + ")",
                            (be, verify, random) -> run(be, verify, list, op, op.inputs.make(random, shape), aliased));
                }
            }
            if (op.arity == 2) {
                list.add("elementwise", op.name + " [7, 9], a, b and out one tensor (as in mul(g, g, g))",
                        (be, verify, random) -> {
                            HostTensor x = op.inputs.make(random, new int[] {7, 9})[1];
                            try (Tensor t = x.upload(be, list.dtype())) {
                                op.call.run(be, new Tensor[] {t, t}, t);
                                verify.tensor("out", op.oracle.apply(new HostTensor[] {x, x}), t);
                            }
                        });
            }
            list.add("elementwise", op.name + " [5, 6] on a row view and a reshape into a row view",
                    (be, verify, random) -> onViews(be, verify, list, op, op.inputs.make(random, new int[] {5, 6})));
        }
        list.add("elementwise", "add(a [2, 3, 4], b [6, 4], out [6, 4]): the same matrix view in other ranks",
                (be, verify, random) -> {
                    // "same shape" means the same rows and cols of the matrix view, whatever the rank
                    HostTensor a = random.uniform(-2, 2, 2, 3, 4);
                    HostTensor b = random.uniform(-2, 2, 6, 4);
                    try (Tensor ta = a.upload(be, list.dtype()); Tensor tb = b.upload(be, list.dtype());
                         Tensor out = be.allocate(list.dtype(), 6, 4)) {
                        be.add(ta, tb, out);
                        verify.tensor("out", HostReference.zip(a.reshape(6, 4), b, Double::sum), out);
                    }
                });
        for (int[] shape : SHAPES) {
            list.add("elementwise", "axpy(alpha=" + alpha + ") " + Arrays.toString(shape), (be, verify, random) -> {
                HostTensor x = random.uniform(-2, 2, shape);
                HostTensor y = random.uniform(-2, 2, shape);
                try (Tensor tx = x.upload(be, list.dtype()); Tensor ty = y.upload(be, list.dtype())) {
                    be.axpy(alpha, tx, ty);
                    verify.tensor("y", HostReference.zip(x, y, (xv, yv) -> yv + alpha * xv), ty);
                    verify.unchanged("x", x, tx);
                }
            });
        }
        list.add("elementwise", "axpy(alpha=" + alpha + ") of a tensor into itself [4, 3]", (be, verify, random) -> {
            HostTensor y = random.uniform(-2, 2, 4, 3);
            try (Tensor ty = y.upload(be, list.dtype())) {
                be.axpy(alpha, ty, ty);
                verify.tensor("y", HostReference.map(y, v -> v + alpha * v), ty);
            }
        });
    }

    /** Runs {@code op}; {@code aliased} is the input the output is, or -1 for a separate output. */
    private static void run(Backend be, Verifier verify, CheckList list, Op op, HostTensor[] inputs, int aliased) {
        Tensor[] in = new Tensor[inputs.length];
        Tensor out = null;
        try {
            for (int i = 0; i < in.length; i++) {
                in[i] = inputs[i].upload(be, list.dtype());
            }
            out = aliased < 0 ? HostTensor.filled(Double.NaN, inputs[0].shape()).upload(be, list.dtype())
                    : in[aliased];
            op.call.run(be, in, out);
            verify.tensor(aliased < 0 ? "out" : "out (input " + aliased + ")", op.oracle.apply(inputs), out);
            for (int i = 0; i < in.length; i++) {
                if (i != aliased) {
                    verify.unchanged("input " + i, inputs[i], in[i]);
                }
            }
        } finally {
            for (Tensor t : in) {
                if (t != null) {
                    t.close();
                }
            }
            if (out != null) {
                out.close();
            }
        }
    }

    /**
     * Input 0 is rows 1..5 of a [7, 6] tensor, input 1 a reshaped flat vector, and the output rows 2..6 of a
     * [9, 6] tensor whose other rows must not change.
     */
    private static void onViews(Backend be, Verifier verify, CheckList list, Op op, HostTensor[] inputs) {
        RandomData padding = new RandomData(1, list.dtype());
        HostTensor base0 = padding.uniform(-1, 1, 7, 6).withRows(1, inputs[0]);
        HostTensor outBase = padding.uniform(-1, 1, 9, 6);
        try (Tensor t0 = base0.upload(be, list.dtype());
             Tensor view0 = be.viewRows(t0, 1, 5);
             Tensor t1 = (op.arity > 1 ? inputs[1] : inputs[0]).reshape(30).upload(be, list.dtype());
             Tensor view1 = be.reshape(t1, 5, 6);
             Tensor tOut = outBase.upload(be, list.dtype());
             Tensor outView = be.viewRows(tOut, 2, 5)) {
            Tensor[] in = op.arity > 1 ? new Tensor[] {view0, view1} : new Tensor[] {view0};
            op.call.run(be, in, outView);
            HostTensor expected = op.oracle.apply(inputs);
            verify.tensor("out view", expected, outView);
            verify.tensor("out's base", outBase.withRows(2, expected), tOut);
            verify.unchanged("input 0's base", base0, t0);
        }
    }

    private static HostTensor withZero(HostTensor t) {
        t.values()[0] = 0;
        return t;
    }

    /** Puts the given values at the first elements (as far as the tensor has room). */
    private static HostTensor withSpecials(HostTensor t, double... specials) {
        for (int i = 0; i < specials.length && i < t.size(); i++) {
            t.values()[i] = specials[i];
        }
        return t;
    }
}
