package dev.unroll.cli.task;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named evaluation results in the order they were added, e.g. {@code accuracy}, {@code loss}. */
public final class Metrics {
    private final Map<String, Double> values = new LinkedHashMap<>();

    public Metrics put(String name, double value) {
        values.put(name, value);
        return this;
    }

    public Map<String, Double> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
