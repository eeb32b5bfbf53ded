package dev.unroll.conformance;

import java.util.Locale;
import java.util.Optional;

/**
 * Narrows a run to the checks whose group or name contains a text, case-insensitively: while fixing one fault an
 * author reruns only its checks ({@code -Dunroll.conformance.filter="gemm(transA=true"}), which a test filter cannot
 * do, since every check is a dynamic test inside one {@code @TestFactory}. {@link ConformanceKit} reports how many
 * checks the filter left out as a skipped test, so a filtered run never looks like a full pass.
 *
 * @param text what a check's group or name must contain
 */
public record CheckFilter(String text) {
    /** The system property holding the text; blank or unset runs every check. */
    public static final String PROPERTY = "unroll.conformance.filter";

    /** The filter from the system property, or empty when it is blank or unset. */
    public static Optional<CheckFilter> configured() {
        return KitProperty.value(PROPERTY).map(CheckFilter::new);
    }

    /** Whether {@code check} runs under this filter. */
    public boolean keeps(Check check) {
        String needle = text.toLowerCase(Locale.ROOT);
        return check.group().toLowerCase(Locale.ROOT).contains(needle)
                || check.name().toLowerCase(Locale.ROOT).contains(needle);
    }
}
