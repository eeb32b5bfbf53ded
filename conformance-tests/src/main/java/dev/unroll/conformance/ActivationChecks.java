package dev.unroll.conformance;

import dev.unroll.api.Activation;
import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * The activations and their backward (from the outputs) on edge shapes, on saturating inputs (|x| = 30),
 * at zero (where relu's derivative is 0 by the API's rule), with separate and aliased outputs.
 */
final class ActivationChecks {
    private ActivationChecks() {
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {37, 29}, {3, 4, 5}};

    /** Placed first in every input: zero, saturation both ways, and small values of both signs. */
    private static final double[] SPECIAL_INPUTS = {0, 30, -30, 1e-3, -1e-3};

    static void addTo(CheckList list) {
        for (Activation f : Activation.values()) {
            for (int[] shape : SHAPES) {
                String s = Arrays.toString(shape);
                for (boolean inPlace : new boolean[] {false, true}) {
                    list.add("activations", "activate(" + f + ") " + s + (inPlace ? ", in place" : ""),
                            (be, verify, random) -> {
                                HostTensor x = inputs(random, shape);
                                try (Tensor tx = x.upload(be, list.dtype());
                                     Tensor out = inPlace ? tx : be.allocate(list.dtype(), shape)) {
                                    be.activate(f, tx, out);
                                    verify.tensor("out", HostReference.activate(f, x), out);
                                    if (!inPlace) {
                                        verify.unchanged("x", x, tx);
                                    }
                                }
                            });
                }
                for (String aliasing : new String[] {"separate dx", "dx is dy", "dx is y"}) {
                    list.add("activations", "activateBackward(" + f + ") " + s + ", " + aliasing,
                            (be, verify, random) -> {
                                // y must be a possible output of f: the derivative is defined from it
                                HostTensor y = HostReference.activate(f, inputs(random, shape)).roundedTo(list.dtype());
                                HostTensor dy = random.uniform(-2, 2, shape);
                                try (Tensor ty = y.upload(be, list.dtype()); Tensor tdy = dy.upload(be, list.dtype());
                                     Tensor dx = switch (aliasing) {
                                         case "dx is dy" -> tdy;
                                         case "dx is y" -> ty;
                                         default -> be.allocate(list.dtype(), shape);
                                     }) {
                                    be.activateBackward(f, ty, tdy, dx);
                                    verify.tensor("dx", HostReference.activateBackward(f, y, dy), dx);
                                }
                            });
                }
            }
        }
    }

    private static HostTensor inputs(RandomData random, int[] shape) {
        HostTensor x = random.uniform(-6, 6, shape);
        for (int i = 0; i < SPECIAL_INPUTS.length && i < x.size(); i++) {
            x.values()[i] = DTypeRounding.round(random.dtype(), SPECIAL_INPUTS[i]);
        }
        return x;
    }
}
