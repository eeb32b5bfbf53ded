package dev.unroll.backend.cuda;

import jcuda.driver.JCudaDriver;

import java.util.Optional;

/**
 * Loads JCuda's driver binding once per JVM and remembers how that went. Loading runs {@code JCudaDriver}'s
 * static initializer, which extracts {@code libJCudaDriver} from the natives jar and loads it; that library links
 * against {@code libcuda.so.1}, so on a machine without the NVIDIA driver it fails with an
 * {@link UnsatisfiedLinkError}. A failed class initializer cannot be retried (later uses only see
 * {@code NoClassDefFoundError: Could not initialize class}), so the first failure is kept to be reported.
 */
final class DriverLibrary {
    private DriverLibrary() {
    }

    /** Lazy holder: the load is attempted when first asked for, not when this class is loaded. */
    private static final class Holder {
        static final Throwable FAILURE = tryLoad();
    }

    private static Throwable tryLoad() {
        try {
            // Any use initializes the class; with exceptions disabled every call returns its CUresult.
            JCudaDriver.setExceptionsEnabled(false);
            return null;
        } catch (LinkageError | RuntimeException e) {
            // Never let a missing driver end the JVM or the caller: report it as unavailability.
            return e;
        }
    }

    /** Why the binding could not be loaded, or empty if it is loaded and usable. */
    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(Holder.FAILURE);
    }
}
