package dev.unroll.training.nn;

import dev.unroll.training.io.HostTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Parameter values by name, as PyTorch's {@code state_dict()} / {@code load_state_dict()}. */
public final class StateDict {
    private StateDict() {
    }

    /** Host copies of every parameter's value, in parameter order. */
    public static Map<String, HostTensor> of(ParameterOwner owner) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (NamedParameter p : owner.parameters()) {
            out.put(p.name(), HostTensor.of(p.value()));
        }
        return out;
    }

    /**
     * Overwrites every parameter of {@code owner} with the value stored under its name (converted to the
     * parameter's dtype).
     *
     * @param strict whether names in {@code values} that no parameter has are an error (PyTorch's
     *               {@code strict=True}); a parameter missing from {@code values} is always an error
     * @throws IllegalArgumentException naming the missing or unexpected names, or a mismatched shape
     */
    public static void load(ParameterOwner owner, Map<String, HostTensor> values, boolean strict) {
        List<NamedParameter> parameters = owner.parameters();
        Set<String> missing = new TreeSet<>();
        for (NamedParameter p : parameters) {
            if (!values.containsKey(p.name())) {
                missing.add(p.name());
            }
        }
        Set<String> unexpected = new TreeSet<>(values.keySet());
        parameters.forEach(p -> unexpected.remove(p.name()));
        if (!missing.isEmpty() || (strict && !unexpected.isEmpty())) {
            throw new IllegalArgumentException("Cannot load parameters: missing " + missing + ", unexpected "
                    + (strict ? unexpected : "[]"));
        }
        for (NamedParameter p : parameters) {
            values.get(p.name()).copyInto(p.value(), p.name());
        }
    }

    /** The entries of {@code values} whose names start with {@code prefix}, with the prefix removed. */
    public static Map<String, HostTensor> withoutPrefix(Map<String, HostTensor> values, String prefix) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        values.forEach((name, t) -> {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), t);
            }
        });
        return out;
    }
}
