package dev.unroll.conformance;

import dev.unroll.api.Tensor;

import java.util.Arrays;

/**
 * Softmax cross-entropy, forward and backward: random logits, logits near +-1000 (a softmax that does not
 * subtract the row maximum overflows), ignored rows (negative targets), one class, and no valid row at all.
 */
final class LossChecks {
    private LossChecks() {
    }

    /** A case: its logits and targets. */
    private record Case(String name, HostTensor logits, int[] targets) {
    }

    private interface CaseMaker {
        Case make(RandomData random);
    }

    static void addTo(CheckList list) {
        CaseMaker[] cases = {
            random -> new Case("[1, 1], target 0", random.uniform(-3, 3, 1, 1), new int[] {0}),
            random -> new Case("[1, 9]", random.uniform(-3, 3, 1, 9), new int[] {8}),
            random -> {
                int[] targets = random.indices(7, 5);
                targets[2] = -1;
                targets[5] = -100;
                return new Case("[7, 5], rows 2 and 5 ignored", random.uniform(-3, 3, 7, 5), targets);
            },
            random -> {
                int[] targets = random.indices(37, 129);
                targets[36] = -1;
                return new Case("[37, 129], last row ignored", random.uniform(-3, 3, 37, 129), targets);
            },
            random -> new Case("[4, 6] with logits near +1000 and -1000", largeLogits(random), new int[] {0, 5, 3, -1}),
            random -> new Case("[3, 4], every row ignored", random.uniform(-3, 3, 3, 4), new int[] {-1, -1, -1}),
        };
        for (CaseMaker maker : cases) {
            String name = maker.make(new RandomData(0, list.dtype())).name;
            list.add("loss", "softmaxCrossEntropy " + name, (be, verify, random) -> {
                Case c = maker.make(random);
                try (Tensor logits = c.logits.upload(be, list.dtype());
                     Tensor p = HostTensor.filled(Double.NaN, c.logits.shape()).upload(be, list.dtype())) {
                    double loss = be.softmaxCrossEntropy(logits, c.targets, p);
                    verify.tensor("probabilities", HostReference.softmax(c.logits), p);
                    verify.scalar("loss", HostReference.crossEntropy(c.logits, c.targets), loss);
                    verify.unchanged("logits", c.logits, logits);
                }
            });
            list.add("loss", "softmaxCrossEntropyBackward " + name, (be, verify, random) -> {
                Case c = maker.make(random);
                HostTensor probabilities = HostReference.softmax(c.logits).roundedTo(list.dtype());
                long valid = Arrays.stream(c.targets).filter(t -> t >= 0).count();
                double scale = list.round(1.0 / Math.max(valid, 1));
                try (Tensor p = probabilities.upload(be, list.dtype());
                     Tensor dLogits = HostTensor.filled(Double.NaN, c.logits.shape()).upload(be, list.dtype())) {
                    be.softmaxCrossEntropyBackward(p, c.targets, scale, dLogits);
                    verify.tensor("dLogits",
                            HostReference.softmaxCrossEntropyBackward(probabilities, c.targets, scale), dLogits);
                    verify.unchanged("probabilities", probabilities, p);
                }
            });
        }
    }

    /**
     * Rows near +1000 and -1000, offsets in steps of 1/8 so every logit and every difference of two logits
     * is exact in float32: the oracle then sees exactly the numbers the backend does.
     */
    private static HostTensor largeLogits(RandomData random) {
        double[] bases = {1000, -1000, 1000, -1000};
        HostTensor logits = HostTensor.zeros(4, 6);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                logits.set(i, j, bases[i] + (random.nextInt(49) - 24) / 8.0);
            }
        }
        return logits;
    }
}
