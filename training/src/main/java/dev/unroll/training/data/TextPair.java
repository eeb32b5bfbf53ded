package dev.unroll.training.data;

import java.util.Objects;

/** One example of a sequence-to-sequence data set: a source text and the target text it maps to. */
public record TextPair(String source, String target) {
    public TextPair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
