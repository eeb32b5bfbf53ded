package dev.unroll.api.config;

import dev.unroll.api.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendRegistryTest {
    private final FakeProviders.Available cpu = new FakeProviders.Available("cpu", 200);
    private final FakeProviders.Available ejml = new FakeProviders.Available("ejml", 100);
    private final FakeProviders.Unavailable cuda = new FakeProviders.Unavailable("cuda", 300, "no CUDA device");

    private BackendRegistry registry(Map<String, String> sys, Map<String, String> env, Map<String, String> file) {
        return new BackendRegistry(List.of(cpu, ejml, cuda), BackendSettings.of(sys, env, file));
    }

    @Test
    void explicitNameWinsOverEveryConfigurationSource() {
        BackendRegistry r = registry(Map.of("unroll.backend", "cpu"), Map.of("UNROLL_BACKEND", "cpu"),
                Map.of("unroll.backend", "cpu"));
        assertEquals(new BackendRegistry.Selection("ejml", "explicit name"), r.select("ejml"));
    }

    @Test
    void systemPropertyWinsOverEnvironmentAndFile() {
        BackendRegistry r = registry(Map.of("unroll.backend", "ejml"), Map.of("UNROLL_BACKEND", "cpu"),
                Map.of("unroll.backend", "cpu"));
        assertEquals(new BackendRegistry.Selection("ejml", "system property unroll.backend"), r.select(null));
    }

    @Test
    void environmentWinsOverPropertiesFile() {
        BackendRegistry r = registry(Map.of(), Map.of("UNROLL_BACKEND", "EJML"), Map.of("unroll.backend", "cpu"));
        assertEquals(new BackendRegistry.Selection("ejml", "environment UNROLL_BACKEND"), r.select(null));
    }

    @Test
    void propertiesFileIsUsedWhenNothingElseIsSet() {
        BackendRegistry r = registry(Map.of(), Map.of(), Map.of("unroll.backend", "ejml"));
        assertEquals(new BackendRegistry.Selection("ejml", "unroll.properties on the classpath"), r.select(null));
    }

    @Test
    void bestRankedAvailableBackendIsTheDefault() {
        BackendRegistry r = registry(Map.of(), Map.of(), Map.of());
        // cuda ranks highest but is unavailable, so cpu wins over ejml.
        assertEquals(new BackendRegistry.Selection("cpu", "best-ranked available backend"), r.select(null));
        try (Backend b = r.createConfigured()) {
            assertEquals("cpu", b.name());
        }
    }

    @Test
    void blankSettingsAreIgnored() {
        BackendRegistry r = registry(Map.of("unroll.backend", "  "), Map.of(), Map.of());
        assertEquals("cpu", r.select(null).name());
    }

    @Test
    void onlyTheChosenBackendIsCreated() {
        BackendRegistry r = registry(Map.of(), Map.of(), Map.of());
        r.create("ejml").close();
        assertEquals(1, ejml.created);
        assertEquals(0, cpu.created);
    }

    @Test
    void unknownNameListsKnownBackendsAndWhyUnavailableOnesAre() {
        BackendRegistry r = registry(Map.of(), Map.of(), Map.of());
        UnknownBackendException e = assertThrows(UnknownBackendException.class, () -> r.create("tpu"));
        assertEquals("Unknown backend [tpu]; known backends: cpu (available), cuda (unavailable: no CUDA device), "
                + "ejml (available) (asked for by explicit name)", e.getMessage());
    }

    @Test
    void aNullNameIsRefusedWithAMessage() {
        BackendRegistry r = registry(Map.of(), Map.of(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.create((String) null));
        assertEquals("the backend name is null", e.getMessage());
    }

    @Test
    void unknownNameFromConfigurationSaysWhereItCameFrom() {
        BackendRegistry r = registry(Map.of(), Map.of("UNROLL_BACKEND", "nd4j"), Map.of());
        UnknownBackendException e = assertThrows(UnknownBackendException.class, r::createConfigured);
        assertTrue(e.getMessage().startsWith("Unknown backend [nd4j]"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(asked for by environment UNROLL_BACKEND)"), e.getMessage());
    }

    @Test
    void unavailableBackendFailsWithItsReasonAndTheListing() {
        BackendRegistry r = registry(Map.of("unroll.backend", "cuda"), Map.of(), Map.of());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, r::createConfigured);
        assertEquals("Backend [cuda] (asked for by system property unroll.backend) is unavailable: no CUDA device; "
                + "known backends: cpu (available), cuda (unavailable: no CUDA device), ejml (available)",
                e.getMessage());
    }

    @Test
    void noAvailableBackendAtAll() {
        BackendRegistry r = new BackendRegistry(List.of(cuda), BackendSettings.empty());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> r.select(null));
        assertEquals("No backend is available; known backends: cuda (unavailable: no CUDA device)", e.getMessage());
    }

    @Test
    void describeListsEveryBackendWithRankAndAvailability() {
        String expected = String.join("\n",
                "cpu   rank  200  available",
                "cuda  rank  300  unavailable: no CUDA device",
                "ejml  rank  100  available");
        assertEquals(expected, registry(Map.of(), Map.of(), Map.of()).describe());
    }

    @Test
    void availabilityCheckThatThrowsCountsAsUnavailable() {
        FakeProviders.Available crashing = new FakeProviders.Available("native", 500) {
            @Override
            public dev.unroll.api.spi.Availability availability() {
                throw new UnsatisfiedLinkError("libfoo.so: cannot open shared object file");
            }
        };
        BackendRegistry r = new BackendRegistry(List.of(crashing, ejml), BackendSettings.empty());
        assertEquals("ejml", r.select(null).name());
        assertTrue(r.describe().contains("unavailable: native availability check failed: "
                + "java.lang.UnsatisfiedLinkError: libfoo.so"), r.describe());
    }

    @Test
    void duplicateProviderNamesAreRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BackendRegistry(List.of(ejml, new FakeProviders.Available("EJML", 1)), BackendSettings.empty()));
        assertTrue(e.getMessage().contains("two backend providers are named"), e.getMessage());
    }
}
