package dev.unroll.backend.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses a setting whose value names one constant of an enum, case-insensitively. */
final class SettingChoice {
    private SettingChoice() {
    }

    /**
     * The constant {@code value} names, or {@code unset} for a null or blank value; else an error naming the key
     * and the choices, e.g. "unroll.cuda.graphs must be on or off, got 'never'".
     */
    static <E extends Enum<E>> E parse(Class<E> type, String key, String value, E unset) {
        if (value == null || value.isBlank()) {
            return unset;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(" or "));
            throw new IllegalArgumentException(key + " must be " + choices + ", got '" + value + "'", e);
        }
    }
}
