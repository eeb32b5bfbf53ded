package dev.unroll.conformance.recurrent;

import dev.unroll.conformance.HostTensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backend computed for a {@link CellCase}, downloaded: forward outputs and, when backward ran, every
 * gradient by name ({@code x}, {@code h0}, {@code c0} and each parameter's name).
 *
 * @param cN    null unless LSTM
 * @param grads empty when only the forward pass ran; kept in the given order, in which comparisons report
 */
public record CellResult(HostTensor y, HostTensor hN, HostTensor cN, Map<String, HostTensor> grads) {

    public CellResult {
        // not Map.copyOf: its order is unspecified, and the first failing gradient should be the same every run
        grads = Collections.unmodifiableMap(new LinkedHashMap<>(grads));
    }
}
