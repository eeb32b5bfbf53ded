package dev.unroll.conformance.recurrent;

import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.conformance.HostTensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A recurrent model and one batch on the host, ready to run on any backend: the configuration, every
 * parameter's value by name, the inputs and the upstream gradients of the loss
 * {@code L = sum(y*dy) + sum(h_n*dh_n) [+ sum(c_n*dc_n)]}. Optional parts are null.
 *
 * @param params      values by parameter name; a learned initial state missing here stays zero
 * @param x           {@code [T, B, inputSize]}
 * @param h0          {@code [L*D, B, H]} or null
 * @param c0          {@code [L*D, B, H]} or null (LSTM only)
 * @param lengths     per-sequence lengths, or null for all T
 * @param dy          {@code [T, B, D*H]}
 * @param dhN         {@code [L*D, B, H]}
 * @param dcN         {@code [L*D, B, H]} or null (LSTM only)
 * @param training    whether the forward pass applies dropout
 * @param dropoutCall which dropout draw the pass uses (see {@code RecurrentStack.setDropoutCall})
 */
public record CellCase(String name, RecurrentConfig config, Map<String, HostTensor> params, HostTensor x,
                       HostTensor h0, HostTensor c0, int[] lengths, HostTensor dy, HostTensor dhN, HostTensor dcN,
                       boolean training, long dropoutCall) {

    public CellCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        lengths = lengths == null ? null : lengths.clone();
    }

    @Override
    public int[] lengths() {
        return lengths == null ? null : lengths.clone();
    }

    public int steps() {
        return x.shape()[0];
    }

    public int batch() {
        return x.shape()[1];
    }

    public boolean isLstm() {
        return config.cell() == CellType.LSTM;
    }

    /** The same case with some parameter or input replaced, for finite differences. */
    public CellCase withParam(String paramName, HostTensor value) {
        Map<String, HostTensor> p = new LinkedHashMap<>(params);
        p.put(paramName, value);
        return new CellCase(name, config, p, x, h0, c0, lengths, dy, dhN, dcN, training, dropoutCall);
    }

    /** The same case with other inputs (x, h0, c0). */
    public CellCase withInputs(HostTensor newX, HostTensor newH0, HostTensor newC0) {
        return new CellCase(name, config, params, newX, newH0, newC0, lengths, dy, dhN, dcN, training, dropoutCall);
    }

    /** The loss {@code sum(y*dy) + sum(h_n*dh_n) [+ sum(c_n*dc_n)]} of a result, in double. */
    public double loss(CellResult r) {
        double sum = dot(r.y(), dy) + dot(r.hN(), dhN);
        if (dcN != null && r.cN() != null) {
            sum += dot(r.cN(), dcN);
        }
        return sum;
    }

    private static double dot(HostTensor a, HostTensor b) {
        double[] av = a.values();
        double[] bv = b.values();
        double s = 0;
        for (int i = 0; i < av.length; i++) {
            s += av[i] * bv[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return name;
    }
}
