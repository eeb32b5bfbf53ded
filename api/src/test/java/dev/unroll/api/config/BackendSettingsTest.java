package dev.unroll.api.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendSettingsTest {

    @Test
    void environmentVariableNamesMapToDottedKeys() {
        BackendSettings s = BackendSettings.of(Map.of(), Map.of("UNROLL_CPU_THREADS", "3", "PATH", "/bin"), Map.of());
        assertEquals(3, s.getInt("unroll.cpu.threads", 1));
        assertEquals(1, s.asMap().size(), "only UNROLL_* variables are read");
    }

    @Test
    void malformedIntegerNamesKeyAndSource() {
        BackendSettings s = BackendSettings.of(Map.of("unroll.cpu.threads", "many"), Map.of(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.getInt("unroll.cpu.threads", 1));
        assertEquals("unroll.cpu.threads must be an integer, but system property unroll.cpu.threads says 'many'",
                e.getMessage());
    }

    /**
     * A blank value is "not set" (BackendRegistryTest: blank settings are ignored), so it must not hide what a
     * lower-priority source says: a build that forwards an unset {@code -Dunroll.backend=} once made the registry
     * ignore {@code UNROLL_BACKEND} and the properties file and fall back to the best-ranked backend.
     */
    @Test
    void aBlankValueLeavesTheLowerPrioritySourcesValue() {
        BackendSettings s = BackendSettings.of(Map.of("unroll.backend", " "), Map.of("UNROLL_BACKEND", "ejml"),
                Map.of("unroll.backend", "cpu"));
        assertEquals(new BackendSettings.Setting("ejml", "environment UNROLL_BACKEND"),
                s.setting("unroll.backend").orElseThrow());
        BackendSettings fileOnly = BackendSettings.of(Map.of(), Map.of("UNROLL_BACKEND", ""),
                Map.of("unroll.backend", "cpu"));
        assertEquals(new BackendSettings.Setting("cpu", "unroll.properties on the classpath"),
                fileOnly.setting("unroll.backend").orElseThrow());
    }

    @Test
    void absentIntegerFallsBack() {
        assertEquals(7, BackendSettings.empty().getInt("unroll.cpu.threads", 7));
    }

    @Test
    void classpathPropertiesFileIsRead() {
        BackendSettings s = BackendSettings.fromEnvironment();
        assertEquals("yes", s.get("unroll.test.fromfile").orElseThrow());
        assertTrue(s.setting("unroll.test.fromfile").orElseThrow().source().contains("unroll.properties"));
    }
}
