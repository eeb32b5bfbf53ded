package dev.unroll.training.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The generated data sets, named on the command line as {@code builtin:NAME}. Each is seeded, so a seed
 * gives the same examples on every machine, and each suits one kind of task.
 */
public enum BuiltinDataset {
    /** {@link AddingProblem}: regression over a long sequence (many-to-one). */
    ADDING("regress"),
    /** {@link ReberGrammar}: embedded Reber strings, one per line, for a language model. */
    REBER("lm"),
    /** {@link HumanDates}: human-written dates to ISO 8601, for an encoder-decoder. */
    DATES("seq2seq");

    public static final String PREFIX = "builtin:";

    private final String task;

    BuiltinDataset(String task) {
        this.task = task;
    }

    /** The task this data set is made for: {@code regress}, {@code lm} or {@code seq2seq}. */
    public String task() {
        return task;
    }

    /** The lower-case name, as written after {@code builtin:}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The data set {@code spec} names if it starts with {@code builtin:}; empty for anything else (a file).
     *
     * @throws IllegalArgumentException for {@code builtin:} followed by an unknown name, listing the known ones
     */
    public static Optional<BuiltinDataset> fromSpec(String spec) {
        if (!spec.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String name = spec.substring(PREFIX.length());
        for (BuiltinDataset dataset : values()) {
            if (dataset.id().equalsIgnoreCase(name)) {
                return Optional.of(dataset);
            }
        }
        throw new IllegalArgumentException("unknown built-in data set '" + name + "', known: "
                + Arrays.stream(values()).map(d -> PREFIX + d.id()).collect(Collectors.joining(", ")));
    }
}
