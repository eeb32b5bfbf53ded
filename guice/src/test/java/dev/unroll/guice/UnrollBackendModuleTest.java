package dev.unroll.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.config.UnknownBackendException;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;
import dev.unroll.api.spi.ForwardingBackend;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnrollBackendModuleTest {

    /** A third party's provider that counts the backends it makes. */
    static final class CountingProvider implements BackendProvider {
        private final String name;
        int created;

        CountingProvider(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public int rank() { return 1; }
        @Override public Availability availability() { return Availability.yes(); }

        @Override
        public Backend create(BackendSettings settings) {
            created++;
            return new ForwardingBackend(null, name);
        }
    }

    private static AbstractModule thirdParty(BackendProvider... providers) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                for (BackendProvider p : providers) {
                    UnrollBackendModule.providers(binder()).addBinding(p.name()).toInstance(p);
                }
            }
        };
    }

    @Test
    void explicitNameGivesThatRealBackend() {
        Injector injector = Guice.createInjector(new UnrollBackendModule("ejml"));
        try (Backend backend = injector.getInstance(Backend.class)) {
            assertEquals("ejml", backend.name());
            try (Tensor t = backend.upload(DType.FLOAT64, new double[] {1, 2, 3}, 3)) {
                backend.scale(2, t, t);
                assertArrayEquals(new double[] {2, 4, 6}, t.toDoubleArray());
            }
        }
    }

    @Test
    void backendIsASingletonPerInjector() {
        Injector injector = Guice.createInjector(new UnrollBackendModule("ejml"));
        assertSame(injector.getInstance(Backend.class), injector.getInstance(Backend.class));
        injector.getInstance(Backend.class).close();
    }

    @Test
    void settingsChooseAThirdPartyProviderAndOnlyItIsCreated() {
        CountingProvider mine = new CountingProvider("mine");
        CountingProvider other = new CountingProvider("other");
        BackendSettings settings = BackendSettings.of(Map.of(), Map.of("UNROLL_BACKEND", "mine"), Map.of());
        Injector injector = Guice.createInjector(new UnrollBackendModule(null, settings, true), thirdParty(mine, other));
        assertEquals("mine", injector.getInstance(Backend.class).name());
        assertEquals(1, mine.created);
        assertEquals(0, other.created);
    }

    @Test
    void discoveredProvidersAreInTheMapBinder() {
        Injector injector = Guice.createInjector(new UnrollBackendModule("ejml"));
        Map<String, BackendProvider> providers = injector.getInstance(
                com.google.inject.Key.get(new com.google.inject.TypeLiteral<Map<String, BackendProvider>>() { }));
        assertTrue(providers.containsKey("ejml"), providers.keySet().toString());
    }

    @Test
    void unknownNameFailsWithTheKnownBackends() {
        Injector injector = Guice.createInjector(
                new UnrollBackendModule("tpu", BackendSettings.empty(), false), thirdParty(new CountingProvider("mine")));
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(Backend.class));
        UnknownBackendException cause = assertInstanceOf(UnknownBackendException.class, e.getCause());
        assertEquals("Unknown backend [tpu]; known backends: mine (available) (asked for by explicit name)",
                cause.getMessage());
    }
}
