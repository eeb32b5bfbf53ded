package dev.unroll.conformance;

import java.util.Optional;

/** The kit's settings given as {@code -D} system properties ({@link CheckFilter}, {@link GoldenDirectoryRun}). */
final class KitProperty {
    private KitProperty() {
    }

    /**
     * The trimmed value of system property {@code name}, or empty when it is unset or blank, which both mean "not
     * set". Surefire 3 passes the {@code -D} properties of the Maven command line to the test JVM as they are, so
     * no build forwards them (a forwarded unset one would arrive as the literal {@code ${name}}).
     */
    static Optional<String> value(String name) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
