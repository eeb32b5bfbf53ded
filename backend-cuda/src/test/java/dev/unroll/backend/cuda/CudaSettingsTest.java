package dev.unroll.backend.cuda;

import dev.unroll.api.config.BackendSettings;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaSettingsTest {
    @Test
    void unsetSettingsGiveTheDefaults() {
        CudaSettings s = CudaSettings.from(BackendSettings.empty());
        assertEquals(GemmVariant.Family.V2, s.gemm());
        assertEquals(EnumSet.allOf(PersistentScheme.class), s.persistentSchemes());
        assertEquals(GraphRecording.ON, s.graphs());
    }

    @Test
    void propertiesAndEnvironmentVariablesAreBothRead() {
        CudaSettings s = CudaSettings.from(BackendSettings.of(Map.of("unroll.cuda.gemm", "v1"),
                Map.of("UNROLL_CUDA_PERSISTENT", "grid", "UNROLL_CUDA_GRAPHS", "off"), Map.of()));
        assertEquals(GemmVariant.Family.V1, s.gemm());
        assertEquals(EnumSet.of(PersistentScheme.GRID), s.persistentSchemes());
        assertEquals(GraphRecording.OFF, s.graphs());
    }

    @Test
    void aMalformedValueFailsNamingItsSettingBeforeAnyDeviceIsOpened() {
        // CudaBackend.open reads the settings first: this is the exception it throws, with no device open yet
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaSettings.from(
                BackendSettings.of(Map.of("unroll.cuda.gemm", "v3"), Map.of(), Map.of())));
        assertTrue(e.getMessage().contains("unroll.cuda.gemm"), e.getMessage());
    }
}
