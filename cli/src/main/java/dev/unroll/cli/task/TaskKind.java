package dev.unroll.cli.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** The kinds of sequence task {@code unroll train --task} knows, by their command-line names. */
public enum TaskKind {
    /** Many-to-one: TSV {@code label<TAB>text}. */
    CLASSIFY,
    /** Many-to-many aligned: CoNLL {@code token<TAB>tag}, blank line between sentences. */
    TAG,
    /** One-to-many: UTF-8 text, one sequence per line. */
    LM,
    /** Encoder-decoder: TSV {@code source<TAB>target}. */
    SEQ2SEQ,
    /** Many-to-one regression: the built-in adding problem. */
    REGRESS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskKind parse(String name) {
        for (TaskKind kind : values()) {
            if (kind.id().equalsIgnoreCase(name.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: "
                + Arrays.stream(values()).map(TaskKind::id).collect(Collectors.joining(", ")));
    }

    /** Picocli's converter: an unknown task is a bad option (usage and exit code 2). */
    public static final class Converter implements CommandLine.ITypeConverter<TaskKind> {
        @Override
        public TaskKind convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
