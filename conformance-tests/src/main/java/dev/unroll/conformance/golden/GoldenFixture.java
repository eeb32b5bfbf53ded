package dev.unroll.conformance.golden;

import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.conformance.HostTensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code rnn-golden/1} case (see {@code ../shared/golden/FORMAT.md}): a PyTorch float64 forward and BPTT of
 * {@code nn.RNN / nn.LSTM / nn.GRU}, with every input, output and gradient. Optional parts are null when
 * absent: {@code lengths} (fixed-length batch), {@code h0}/{@code c0} (zero initial state), {@code cN}/{@code dcN}
 * (not LSTM).
 *
 * @param params every parameter by its PyTorch {@code state_dict} name, in file order; biases {@code [G*H]}
 * @param x      input {@code [T, B, inputSize]}
 * @param y      output {@code [T, B, D*H]}
 * @param grads  dL/d of {@code x}, {@code h0}, {@code c0} (when given) and every parameter, by name
 */
public record GoldenFixture(String name, CellType cell, int numLayers, boolean bidirectional, boolean bias, int steps,
                            int batch, int inputSize, int hiddenSize, int[] lengths, Map<String, HostTensor> params,
                            HostTensor x, HostTensor h0, HostTensor c0, HostTensor y, HostTensor hN, HostTensor cN,
                            HostTensor dy, HostTensor dhN, HostTensor dcN, Map<String, HostTensor> grads) {

    public GoldenFixture {
        // Map.copyOf would lose the file order, in which GoldenChecks reports the first failing gradient
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        grads = Collections.unmodifiableMap(new LinkedHashMap<>(grads));
        lengths = lengths == null ? null : lengths.clone();
    }

    @Override
    public int[] lengths() {
        return lengths == null ? null : lengths.clone();
    }

    /** The stack configuration that reproduces this case (PyTorch's GRU form, zero or given initial state). */
    public RecurrentConfig config() {
        return RecurrentConfig.of(cell, inputSize, hiddenSize)
                .withLayers(numLayers)
                .withBidirectional(bidirectional)
                .withBias(bias);
    }

    @Override
    public String toString() {
        return name;
    }
}
