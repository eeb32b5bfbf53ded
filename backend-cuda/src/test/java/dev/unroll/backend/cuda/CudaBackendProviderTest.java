package dev.unroll.backend.cuda;

import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CudaBackendProviderTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("cuda")).toList();
        assertEquals(1, found.size());
        assertTrue(found.get(0) instanceof CudaBackendProvider);
    }

    @Test
    void ranksAboveTheCpuBackends() {
        // The CPU backends rank at most 200; a GPU, when present, should win the default choice.
        assertTrue(new CudaBackendProvider().rank() > 200);
    }

    @Test
    void askingForAvailabilityNeverThrowsAndExplainsAnAbsence() {
        Availability first = new CudaBackendProvider().availability();
        Availability second = new CudaBackendProvider().availability();
        assertEquals(first, second, "the answer is stable within a JVM");
        if (!first.available()) {
            assertFalse(first.reason().isBlank());
        }
    }

    @Test
    void withoutTheDriverLibraryTheReasonNamesIt() {
        assumeFalse(driverLibraryInstalled(), "libcuda.so.1 is installed on this machine");
        Availability a = new CudaBackendProvider().availability();
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("libcuda.so.1 not found: "), a.reason());
        assertFalse(a.reason().contains("\n"), "one line, not JCuda's nested stack traces: " + a.reason());
    }

    @Test
    void creatingAnUnavailableBackendFailsWithTheReason() {
        Availability a = new CudaBackendProvider().availability();
        assumeFalse(a.available(), "a GPU is available here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CudaBackendProvider().create(BackendSettings.empty()));
        assertEquals("the cuda backend is unavailable: " + a.reason(), e.getMessage());
    }

    /** Whether the dynamic loader could find libcuda.so.1 in the usual places. */
    private static boolean driverLibraryInstalled() {
        List<String> dirs = new java.util.ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/lib/x86_64-linux-gnu", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "libcuda.so.1")).anyMatch(Files::exists)
                || ldconfigKnows();
    }

    private static boolean ldconfigKnows() {
        try {
            Process p = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
            try (Stream<String> lines = p.inputReader().lines()) {
                return lines.anyMatch(l -> l.contains("libcuda.so.1"));
            }
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
