package dev.unroll.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.BackendProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Binds {@link Backend} to the backend the configuration chooses, with the same rules as
 * {@link dev.unroll.api.config.Backends}: an explicit name given to this module, then {@code unroll.backend}
 * from system properties, environment ({@code UNROLL_BACKEND}) or {@code unroll.properties}, else the
 * best-ranked available backend.
 *
 * <p>Providers are collected in a {@code MapBinder<String, BackendProvider>} keyed by name: every provider
 * found by {@link ServiceLoader}, plus any a user adds with {@link #providers}. Providers are light; only
 * the chosen provider's {@link Backend} is ever created, once per injector.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new UnrollBackendModule());
 * Backend backend = injector.getInstance(Backend.class);
 * }</pre>
 */
public final class UnrollBackendModule extends AbstractModule {
    private final String explicitName;
    private final BackendSettings settings;
    private final boolean discover;

    /** Chooses by configuration, among the providers on the classpath. */
    public UnrollBackendModule() {
        this(null, BackendSettings.fromEnvironment(), true);
    }

    /** Uses the named backend (null or blank: choose by configuration). */
    public UnrollBackendModule(String explicitName) {
        this(explicitName, BackendSettings.fromEnvironment(), true);
    }

    /**
     * Full control, for tests and embedding applications.
     *
     * @param explicitName the backend to use, or null to choose by {@code settings}
     * @param settings     the configuration
     * @param discover     whether to add the providers ServiceLoader finds on the classpath
     */
    public UnrollBackendModule(String explicitName, BackendSettings settings, boolean discover) {
        this.explicitName = explicitName;
        this.settings = settings;
        this.discover = discover;
    }

    /** The map binder to which another module adds a third-party provider under its name. */
    public static MapBinder<String, BackendProvider> providers(com.google.inject.Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, BackendProvider.class);
    }

    @Override
    protected void configure() {
        MapBinder<String, BackendProvider> map = providers(binder());
        if (discover) {
            ServiceLoader.load(BackendProvider.class).forEach(p -> map.addBinding(p.name()).toInstance(p));
        }
        bind(BackendSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    Backend backend(Map<String, BackendProvider> providers, BackendSettings configured) {
        BackendRegistry registry = new BackendRegistry(new ArrayList<>(List.copyOf(providers.values())), configured);
        return registry.create(registry.select(explicitName));
    }
}
