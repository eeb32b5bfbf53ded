package dev.unroll.backend.cuda;

import java.util.Locale;
import java.util.Optional;

/**
 * The sentences {@link CudaProbe} gives when the CUDA backend cannot run here. Kept apart from the probe,
 * which needs a driver, so that each wording is unit-tested on a machine without one.
 */
final class AvailabilityReasons {
    /** Prefix of the reason when the driver library is missing: the common case on a machine with no GPU. */
    static final String LIBCUDA_NOT_FOUND = "libcuda.so.1 not found: ";
    /** The reason when the driver loads but reports no device. */
    static final String NO_DEVICE = "no CUDA device";

    private AvailabilityReasons() {
    }

    /**
     * Why loading JCuda's driver binding failed. {@code libJCudaDriver} links against {@code libcuda.so.1}, so a
     * machine without the NVIDIA driver fails here with an {@link UnsatisfiedLinkError}. JCuda's message is a page of
     * nested stack traces; the reason keeps the one line that says what is missing.
     */
    static String loadFailure(Throwable failure) {
        Optional<String> libcudaLine = lineMentioning(failure, "libcuda");
        if (libcudaLine.isPresent()) {
            return LIBCUDA_NOT_FOUND + libcudaLine.get();
        }
        String detail = failure.getClass().getSimpleName() + ": " + firstLine(failure.getMessage());
        if (failure instanceof NoClassDefFoundError || failure instanceof ClassNotFoundException) {
            return "JCuda (org.jcuda:jcuda) is not on the classpath: " + detail;
        }
        return "the JCuda native library (libJCudaDriver) could not be loaded: " + detail;
    }

    /** Why {@code cuInit} failed, from its result code and that code's name. */
    static String initFailure(int result, String resultName) {
        return switch (resultName) {
            case "CUDA_ERROR_NO_DEVICE" -> NO_DEVICE;
            case "CUDA_ERROR_STUB_LIBRARY" -> "libcuda.so.1 is the CUDA toolkit's stub library, not an NVIDIA driver"
                    + " (" + resultName + ")";
            case "CUDA_ERROR_INSUFFICIENT_DRIVER" -> "the NVIDIA driver is older than this CUDA runtime needs ("
                    + resultName + ")";
            default -> "cuInit failed with " + resultName + " (" + result + ")";
        };
    }

    /** Why a driver call after {@code cuInit} failed. */
    static String callFailure(String call, int result, String resultName) {
        return call + " failed with " + resultName + " (" + result + ")";
    }

    /** The reason when the configured device ordinal does not exist. */
    static String noSuchDevice(int ordinal, int count) {
        if (count == 0) {
            return NO_DEVICE;
        }
        return "no CUDA device " + ordinal + " (unroll.cuda.device): this machine has " + count
                + (count == 1 ? " device, number 0" : " devices, numbered 0 to " + (count - 1));
    }

    /** The reason when the device is older than the PTX target. */
    static String computeCapabilityTooLow(String deviceName, int major, int minor) {
        return "CUDA device '" + deviceName + "' has compute capability " + major + "." + minor + "; the kernels are"
                + " compiled for compute_" + KernelModules.MIN_COMPUTE_MAJOR + "0 and need "
                + KernelModules.MIN_COMPUTE_MAJOR + ".0 or newer";
    }

    /** The reason when the driver cannot JIT-compile the PTX's ISA version. */
    static String driverTooOld(int driverVersion, int requiredVersion, String ptxIsa) {
        return "the NVIDIA driver supports CUDA " + cudaVersion(driverVersion) + " but the kernels are PTX ISA " + ptxIsa
                + ", which needs a driver for CUDA " + cudaVersion(requiredVersion) + " or newer";
    }

    /** A driver version number such as 12040 written as {@code 12.4}. */
    static String cudaVersion(int version) {
        return String.format(Locale.ROOT, "%d.%d", version / 1000, (version % 1000) / 10);
    }

    /** The first line of any message in the cause chain containing {@code text}, without an exception prefix. */
    private static Optional<String> lineMentioning(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() == null) {
                continue;
            }
            for (String line : t.getMessage().split("\\R")) {
                if (line.contains(text)) {
                    return Optional.of(line.strip().replaceFirst("^[\\w.$]+(Error|Exception): ", ""));
                }
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        return message == null ? "(no message)" : message.strip().split("\\R", 2)[0];
    }
}
