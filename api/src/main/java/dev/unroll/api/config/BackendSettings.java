package dev.unroll.api.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration keys {@code unroll.*} merged from three sources, highest priority first: Java system
 * properties ({@code -Dunroll.backend=cpu}), environment variables ({@code UNROLL_BACKEND=cpu}; a variable
 * {@code UNROLL_CPU_THREADS} is the key {@code unroll.cpu.threads}), and {@code unroll.properties} at the
 * root of the classpath. A blank value is not a setting: the next source's value applies. Each value remembers
 * which source it came from, for error messages.
 */
public final class BackendSettings {
    /** The key that names the backend. */
    public static final String BACKEND_KEY = "unroll.backend";
    /** The classpath resource read as the lowest-priority source. */
    public static final String PROPERTIES_RESOURCE = "unroll.properties";

    private final Map<String, Setting> values;

    /** A value and a description of where it came from, e.g. {@code "environment UNROLL_BACKEND"}. */
    public record Setting(String value, String source) {
    }

    private BackendSettings(Map<String, Setting> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** No settings at all. */
    public static BackendSettings empty() {
        return new BackendSettings(new TreeMap<>());
    }

    /** The settings of this JVM: system properties, environment, then {@code unroll.properties}. */
    public static BackendSettings fromEnvironment() {
        return of(toMap(System.getProperties()), System.getenv(), loadClasspathProperties());
    }

    /** Settings from explicit sources, highest priority first; non-{@code unroll.} keys are ignored. */
    public static BackendSettings of(Map<String, String> systemProperties, Map<String, String> environment,
                                     Map<String, String> propertiesFile) {
        Map<String, Setting> merged = new TreeMap<>();
        propertiesFile.forEach((k, v) -> {
            if (k.startsWith("unroll.")) {
                put(merged, k, v, PROPERTIES_RESOURCE + " on the classpath");
            }
        });
        environment.forEach((k, v) -> {
            if (k.startsWith("UNROLL_")) {
                put(merged, k.toLowerCase(Locale.ROOT).replace('_', '.'), v, "environment " + k);
            }
        });
        systemProperties.forEach((k, v) -> {
            if (k.startsWith("unroll.")) {
                put(merged, k, v, "system property " + k);
            }
        });
        return new BackendSettings(merged);
    }

    /**
     * Sets {@code key} from a higher-priority source, unless the value is blank: a blank value counts as not set, so
     * it leaves a lower-priority source's value in place (a build that forwards an unset {@code -Dunroll.backend=}
     * must not hide {@code UNROLL_BACKEND} or {@code unroll.properties}).
     */
    private static void put(Map<String, Setting> merged, String key, String value, String source) {
        if (value != null && !value.isBlank()) {
            merged.put(key, new Setting(value.trim(), source));
        }
    }

    /** The value of a key, if set to something non-blank. */
    public Optional<String> get(String key) {
        return setting(key).map(Setting::value);
    }

    /** The value and its source, if set. */
    public Optional<Setting> setting(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** An integer setting, or {@code fallback} when absent; a malformed value fails naming key and source. */
    public int getInt(String key, int fallback) {
        Optional<Setting> s = setting(key);
        if (s.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.get().value());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, but " + s.get().source() + " says '"
                    + s.get().value() + "'", e);
        }
    }

    /** All settings, sorted by key. */
    public Map<String, Setting> asMap() {
        return values;
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    private static Map<String, String> loadClasspathProperties() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = BackendSettings.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (in == null) {
                return Map.of();
            }
            Properties p = new Properties();
            p.load(in);
            return toMap(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROPERTIES_RESOURCE + " from the classpath", e);
        }
    }
}
