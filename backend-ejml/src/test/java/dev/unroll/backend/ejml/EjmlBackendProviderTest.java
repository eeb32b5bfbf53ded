package dev.unroll.backend.ejml;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.BackendProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EjmlBackendProviderTest {

    @Test
    void serviceLoaderFindsTheProviderAndItIsAlwaysAvailable() {
        BackendProvider provider = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("ejml"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no provider named ejml on the classpath"));
        assertEquals(100, provider.rank());
        assertTrue(provider.availability().available());
        try (Backend backend = provider.create(BackendSettings.empty())) {
            assertEquals("ejml", backend.name());
            assertTrue(backend.supports(DType.FLOAT32));
            assertTrue(backend.supports(DType.FLOAT64));
        }
    }

    @Test
    void aThreadCountBelowOneIsRejectedNamingItsSource() {
        BackendSettings settings = BackendSettings.of(Map.of(EjmlBackendProvider.THREADS_KEY, "0"), Map.of(),
                Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EjmlBackendProvider().create(settings));
        assertTrue(e.getMessage().contains("system property unroll.ejml.threads"), e.getMessage());
    }

    @Test
    void oneThreadGivesASingleThreadedBackend() {
        BackendSettings settings = BackendSettings.of(Map.of(), Map.of("UNROLL_EJML_THREADS", "1"), Map.of());
        try (Backend backend = new EjmlBackendProvider().create(settings)) {
            assertEquals("ejml", backend.name());
        }
    }
}
