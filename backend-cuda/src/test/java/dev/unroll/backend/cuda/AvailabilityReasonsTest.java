package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvailabilityReasonsTest {

    @Test
    void aMissingDriverLibraryIsNamed() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(
                "/tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file"
                        + " or directory");
        assertEquals("libcuda.so.1 not found: /tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open"
                + " shared object file: No such file or directory", AvailabilityReasons.loadFailure(e));
    }

    @Test
    void jcudasPageOfNestedStackTracesIsReducedToTheLineThatMatters() {
        // The shape of JCuda 12.0.0's LibUtils message on a machine without the driver.
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("""
                Error while loading native library "JCudaDriver-12.0.0-linux-x86_64"
                Operating system name: Linux
                ---(start of nested stack traces)---
                Stack trace from the attempt to load the library as a file:
                java.lang.UnsatisfiedLinkError: no JCudaDriver-12.0.0-linux-x86_64 in java.library.path: /usr/lib
                	at java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)
                Stack trace from the attempt to load the library as a resource:
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open \
                shared object file: No such file or directory
                	at java.base/jdk.internal.loader.NativeLibraries.load(Native Method)
                ---(end of nested stack traces)---""");
        assertEquals("libcuda.so.1 not found: /tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open"
                + " shared object file: No such file or directory", AvailabilityReasons.loadFailure(e));
    }

    @Test
    void aDriverLibraryNamedOnlyInTheCauseIsStillFound() {
        Error e = new UnsatisfiedLinkError("Could not load the native library 'JCudaDriver-12.0.0-linux-x86_64'");
        e.initCause(new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file"));
        assertEquals("libcuda.so.1 not found: libcuda.so.1: cannot open shared object file",
                AvailabilityReasons.loadFailure(e));
    }

    @Test
    void otherLoadFailuresSayWhatFailed() {
        assertTrue(AvailabilityReasons.loadFailure(new NoClassDefFoundError("jcuda/driver/JCudaDriver"))
                .startsWith("JCuda (org.jcuda:jcuda) is not on the classpath: "));
        String reason = AvailabilityReasons.loadFailure(new UnsatisfiedLinkError("wrong ELF class: ELFCLASS32"));
        assertTrue(reason.startsWith("the JCuda native library (libJCudaDriver) could not be loaded: "), reason);
        assertTrue(reason.contains("ELFCLASS32"), reason);
    }

    @Test
    void cuInitResultsBecomeSentences() {
        assertEquals("no CUDA device", AvailabilityReasons.initFailure(100, "CUDA_ERROR_NO_DEVICE"));
        assertTrue(AvailabilityReasons.initFailure(34, "CUDA_ERROR_STUB_LIBRARY").contains("stub library"));
        assertTrue(AvailabilityReasons.initFailure(35, "CUDA_ERROR_INSUFFICIENT_DRIVER").contains("driver is older"));
        assertEquals("cuInit failed with CUDA_ERROR_UNKNOWN (999)", AvailabilityReasons.initFailure(999, "CUDA_ERROR_UNKNOWN"));
    }

    @Test
    void aMissingDeviceOrdinalListsTheDevices() {
        assertEquals("no CUDA device", AvailabilityReasons.noSuchDevice(0, 0));
        assertEquals("no CUDA device 1 (unroll.cuda.device): this machine has 1 device, number 0",
                AvailabilityReasons.noSuchDevice(1, 1));
        assertEquals("no CUDA device 4 (unroll.cuda.device): this machine has 2 devices, numbered 0 to 1",
                AvailabilityReasons.noSuchDevice(4, 2));
    }

    @Test
    void oldDevicesAndDriversAreExplained() {
        assertEquals("CUDA device 'Tesla T4' has compute capability 7.5; the kernels are compiled for compute_80 and"
                + " need 8.0 or newer", AvailabilityReasons.computeCapabilityTooLow("Tesla T4", 7, 5));
        assertEquals("the NVIDIA driver supports CUDA 12.4 but the kernels are PTX ISA 9.0, which needs a driver for"
                + " CUDA 13.0 or newer", AvailabilityReasons.driverTooOld(12040, 13000, "9.0"));
    }
}
