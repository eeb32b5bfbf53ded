package dev.unroll.api.config;

import dev.unroll.api.Backend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static front door over the providers registered in this module's test resources (alpha, beta, and
 * an unavailable gpu), with the test resource unroll.properties naming alpha. The environment route is
 * tested in a child JVM, since a running JVM cannot change its own environment.
 */
class BackendsTest {

    @Test
    void createByNameThroughServiceLoader() {
        try (Backend b = Backends.create("beta")) {
            assertEquals("beta", b.name());
        }
    }

    @Test
    void propertiesFileOnTheClasspathChoosesWhenNothingElseIsSet() {
        // unroll.properties in the test resources says alpha, although beta ranks higher.
        try (Backend b = Backends.fromConfiguration()) {
            assertEquals("alpha", b.name());
        }
    }

    @Test
    void systemPropertyOverridesThePropertiesFile() {
        System.setProperty("unroll.backend", "beta");
        try (Backend b = Backends.fromConfiguration()) {
            assertEquals("beta", b.name());
        } finally {
            System.clearProperty("unroll.backend");
        }
    }

    @Test
    void explicitNameOverridesEverything() {
        System.setProperty("unroll.backend", "beta");
        try (Backend b = Backends.fromConfiguration("alpha")) {
            assertEquals("alpha", b.name());
        } finally {
            System.clearProperty("unroll.backend");
        }
    }

    @Test
    void unavailableBackendSaysWhy() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.create("gpu"));
        assertTrue(e.getMessage().contains("is unavailable: libcuda.so.1 not found"), e.getMessage());
    }

    @Test
    void describeCoversEveryProvider() {
        String d = Backends.describe();
        assertTrue(d.contains("alpha  rank   10  available"), d);
        assertTrue(d.contains("beta   rank   20  available"), d);
        assertTrue(d.contains("gpu    rank   99  unavailable: libcuda.so.1 not found"), d);
    }

    @Test
    void environmentVariableChoosesInAFreshJvm() throws IOException, InterruptedException {
        assertEquals("beta", chosenInChildJvm("beta"));
        assertEquals("alpha", chosenInChildJvm("alpha"));
    }

    private static String chosenInChildJvm(String environmentChoice) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PrintChosenBackend.class.getName());
        pb.environment().put("UNROLL_BACKEND", environmentChoice);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Run in the child JVM: prints the name of the backend the configuration chooses. */
    public static final class PrintChosenBackend {
        public static void main(String[] args) {
            try (Backend b = Backends.fromConfiguration()) {
                System.out.println(b.name());
            }
        }
    }
}
