package dev.unroll.training.data;

import java.util.Objects;

/** One example of a classification data set: a text and its label. */
public record LabeledText(String label, String text) {
    public LabeledText {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
    }
}
