package dev.unroll.api.config;

import dev.unroll.api.Backend;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A set of backend providers and the settings that choose among them. {@link Backends} is the static
 * front door over the providers on the classpath; this class is what it delegates to, and what tests and
 * the Guice module build with providers and settings of their own.
 */
public final class BackendRegistry {
    private final Map<String, BackendProvider> providers;
    private final BackendSettings settings;
    private final Map<String, Availability> availability = new ConcurrentHashMap<>();

    /** Which backend was chosen and what chose it, e.g. {@code ("cpu", "environment UNROLL_BACKEND")}. */
    public record Selection(String name, String source) {
    }

    public BackendRegistry(List<? extends BackendProvider> providers, BackendSettings settings) {
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        providers.stream()
                .sorted(Comparator.comparing(BackendProvider::name))
                .forEach(p -> {
                    BackendProvider previous = byName.putIfAbsent(normalize(p.name()), p);
                    if (previous != null) {
                        throw new IllegalStateException("two backend providers are named '" + p.name() + "': "
                                + previous.getClass().getName() + " and " + p.getClass().getName());
                    }
                });
        this.providers = byName;
        this.settings = settings;
    }

    /** The providers found by {@link ServiceLoader} with this JVM's settings. */
    public static BackendRegistry fromClasspath() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(found::add);
        return new BackendRegistry(found, BackendSettings.fromEnvironment());
    }

    public BackendSettings settings() {
        return settings;
    }

    /** Every known provider, sorted by name. */
    public List<BackendProvider> providers() {
        return List.copyOf(providers.values());
    }

    /** Availability of a provider, checked once and remembered; a check that throws counts as unavailable. */
    public Availability availability(BackendProvider p) {
        return availability.computeIfAbsent(p.name(), n -> {
            try {
                return p.availability();
            } catch (RuntimeException | LinkageError e) {
                return Availability.no(p.name() + " availability check failed: " + e);
            }
        });
    }

    /** The provider with this name (case-insensitive), or {@link UnknownBackendException}. */
    public BackendProvider provider(String name) {
        BackendProvider p = providers.get(normalize(name));
        if (p == null) {
            throw new UnknownBackendException("Unknown backend [" + name + "]; known backends: " + listing());
        }
        return p;
    }

    /**
     * Chooses a backend name: {@code explicit} if not null, else the {@code unroll.backend} setting
     * (system property, then environment, then unroll.properties), else the best-ranked available provider.
     */
    public Selection select(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return new Selection(normalize(explicit), "explicit name");
        }
        Optional<BackendSettings.Setting> configured = settings.setting(BackendSettings.BACKEND_KEY);
        if (configured.isPresent()) {
            return new Selection(normalize(configured.get().value()), configured.get().source());
        }
        return providers.values().stream()
                .filter(p -> availability(p).available())
                .max(Comparator.comparingInt(BackendProvider::rank))
                .map(p -> new Selection(p.name(), "best-ranked available backend"))
                .orElseThrow(() -> new BackendUnavailableException(
                        "No backend is available; known backends: " + listing()));
    }

    /** Creates the named backend; fails with the known backends and why each unavailable one is unavailable. */
    public Backend create(String name) {
        return create(new Selection(normalize(name), "explicit name"));
    }

    /** Creates the backend the settings choose (see {@link #select}). */
    public Backend createConfigured() {
        return create(select(null));
    }

    /** Creates the backend of a selection. */
    public Backend create(Selection selection) {
        BackendProvider p;
        try {
            p = provider(selection.name());
        } catch (UnknownBackendException e) {
            throw new UnknownBackendException(e.getMessage() + " (asked for by " + selection.source() + ")");
        }
        Availability a = availability(p);
        if (!a.available()) {
            throw new BackendUnavailableException("Backend [" + p.name() + "] (asked for by " + selection.source()
                    + ") is unavailable: " + a.reason() + "; known backends: " + listing());
        }
        try {
            return p.create(settings);
        } catch (RuntimeException | LinkageError e) {
            throw new BackendUnavailableException("Backend [" + p.name() + "] failed to start: " + e, e);
        }
    }

    /** One line per backend: name, rank, and availability with the reason. For people and tools. */
    public String describe() {
        if (providers.isEmpty()) {
            return "no backends on the classpath (add unroll-backend-ejml, unroll-backend-cpu or unroll-backend-cuda)";
        }
        int width = providers.keySet().stream().mapToInt(String::length).max().orElse(4);
        return providers.values().stream()
                .map(p -> {
                    Availability a = availability(p);
                    return String.format(Locale.ROOT, "%-" + width + "s  rank %4d  %s", p.name(), p.rank(),
                            a.available() ? "available" : "unavailable: " + a.reason());
                })
                .collect(Collectors.joining("\n"));
    }

    private String listing() {
        if (providers.isEmpty()) {
            return "none (no BackendProvider on the classpath)";
        }
        return providers.values().stream()
                .map(p -> {
                    Availability a = availability(p);
                    return p.name() + " (" + (a.available() ? "available" : "unavailable: " + a.reason()) + ")";
                })
                .collect(Collectors.joining(", "));
    }

    private static String normalize(String name) {
        if (name == null) {
            throw new IllegalArgumentException("the backend name is null");
        }
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
