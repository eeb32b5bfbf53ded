package dev.unroll.api.config;

import dev.unroll.api.Backend;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;
import dev.unroll.api.spi.ForwardingBackend;

/** Providers for configuration tests: they make named placeholder backends that do no arithmetic. */
final class FakeProviders {
    private FakeProviders() {
    }

    /** An available provider with a name and rank. */
    static class Available implements BackendProvider {
        private final String name;
        private final int rank;
        int created;

        Available(String name, int rank) {
            this.name = name;
            this.rank = rank;
        }

        @Override public String name() { return name; }
        @Override public int rank() { return rank; }
        @Override public Availability availability() { return Availability.yes(); }

        @Override
        public Backend create(BackendSettings settings) {
            created++;
            return new ForwardingBackend(null, name);
        }
    }

    /** An unavailable provider that says why. */
    static final class Unavailable implements BackendProvider {
        private final String name;
        private final int rank;
        private final String reason;

        Unavailable(String name, int rank, String reason) {
            this.name = name;
            this.rank = rank;
            this.reason = reason;
        }

        @Override public String name() { return name; }
        @Override public int rank() { return rank; }
        @Override public Availability availability() { return Availability.no(reason); }

        @Override
        public Backend create(BackendSettings settings) {
            throw new AssertionError("an unavailable backend must never be created");
        }
    }

    /** Registered through META-INF/services in the test resources, so ServiceLoader finds it. */
    public static final class Alpha extends Available {
        public Alpha() {
            super("alpha", 10);
        }
    }

    /** Registered through META-INF/services; ranked higher than alpha. */
    public static final class Beta extends Available {
        public Beta() {
            super("beta", 20);
        }
    }

    /** Registered through META-INF/services; ranked highest but never available. */
    public static final class Gpu implements BackendProvider {
        @Override public String name() { return "gpu"; }
        @Override public int rank() { return 99; }
        @Override public Availability availability() { return Availability.no("libcuda.so.1 not found"); }

        @Override
        public Backend create(BackendSettings settings) {
            throw new AssertionError("an unavailable backend must never be created");
        }
    }
}
