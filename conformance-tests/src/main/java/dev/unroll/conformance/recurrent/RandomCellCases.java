package dev.unroll.conformance.recurrent;

import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.conformance.DTypeRounding;
import dev.unroll.conformance.HostTensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random small models and batches for the finite-difference and cross-backend checks. Every value is rounded to
 * float32, so a float32 backend and the float64 oracle start from identical numbers. Weights are drawn a little
 * wider than PyTorch's {@code 1/sqrt(H)} so the gates are neither saturated nor linear.
 */
public final class RandomCellCases {
    private RandomCellCases() {
    }

    /** The batch of a case: shape, lengths and whether the caller gives the initial state. */
    public record Batch(int steps, int batch, int[] lengths, boolean givenState) {
        public Batch {
            lengths = lengths == null ? null : lengths.clone();
        }

        @Override
        public int[] lengths() {
            return lengths == null ? null : lengths.clone();
        }
    }

    /**
     * A random case of {@code config} on {@code batch}, reproducible from {@code seed}. Learned initial states get
     * random values too, so their gradients are exercised away from zero.
     */
    public static CellCase create(String name, RecurrentConfig config, Batch batch, boolean training, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int hidden = config.hiddenSize();
        int gateRows = config.cell().gateCount() * hidden;
        double bound = 1.5 / Math.sqrt(hidden);
        Map<String, HostTensor> params = new LinkedHashMap<>();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                params.put("weight_ih" + suffix, uniform(random, bound, gateRows, config.layerInputSize(layer)));
                params.put("weight_hh" + suffix, uniform(random, bound, gateRows, hidden));
                if (config.bias()) {
                    params.put("bias_ih" + suffix, uniform(random, bound, gateRows));
                    params.put("bias_hh" + suffix, uniform(random, bound, gateRows));
                }
            }
        }
        if (config.learnedInitialState()) {
            for (int layer = 0; layer < config.numLayers(); layer++) {
                for (int d = 0; d < config.directions(); d++) {
                    String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                    params.put("h0" + suffix, uniform(random, 0.5, hidden));
                    if (config.cell() == CellType.LSTM) {
                        params.put("c0" + suffix, uniform(random, 0.5, hidden));
                    }
                }
            }
        }
        int stateLayers = config.stateLayers();
        boolean lstm = config.cell() == CellType.LSTM;
        HostTensor x = uniform(random, 1.0, batch.steps(), batch.batch(), config.inputSize());
        HostTensor h0 = batch.givenState() ? uniform(random, 0.8, stateLayers, batch.batch(), hidden) : null;
        HostTensor c0 = batch.givenState() && lstm ? uniform(random, 0.8, stateLayers, batch.batch(), hidden) : null;
        HostTensor dy = uniform(random, 1.0, batch.steps(), batch.batch(), config.outputSize());
        HostTensor dhN = uniform(random, 1.0, stateLayers, batch.batch(), hidden);
        HostTensor dcN = lstm ? uniform(random, 1.0, stateLayers, batch.batch(), hidden) : null;
        return new CellCase(name, config, params, x, h0, c0, batch.lengths(), dy, dhN, dcN, training, seed & 0xFFFF);
    }

    private static HostTensor uniform(SplittableRandom random, double bound, int... shape) {
        HostTensor t = HostTensor.zeros(shape);
        double[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = DTypeRounding.round(DType.FLOAT32, random.nextDouble(-bound, bound));
        }
        return t;
    }
}
