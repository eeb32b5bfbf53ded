package dev.unroll.api.config;

/** A backend name that no provider on the classpath has. The message lists the known backends. */
public class UnknownBackendException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownBackendException(String message) {
        super(message);
    }
}
