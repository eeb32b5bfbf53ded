package dev.unroll.api.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and if not, why (for example "libcuda.so.1 not found").
 *
 * @param available true if {@link BackendProvider#create} will succeed
 * @param reason    why not, or an empty string when available
 */
public record Availability(boolean available, String reason) {

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    public static Availability yes() {
        return new Availability(true, "");
    }

    public static Availability no(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable backend must say why");
        }
        return new Availability(false, reason);
    }
}
