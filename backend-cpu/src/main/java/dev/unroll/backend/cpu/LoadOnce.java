package dev.unroll.backend.cpu;

import dev.unroll.api.spi.Availability;

import java.util.function.Supplier;

/**
 * An availability found by loading native code: loaded on the first {@link #get()}, never before (finding the
 * provider on the class path loads nothing), and remembered, failure and its reason included.
 */
final class LoadOnce {
    private final Supplier<Availability> load;
    private volatile Availability result;

    LoadOnce(Supplier<Availability> load) {
        this.load = load;
    }

    Availability get() {
        Availability a = result;
        if (a == null) {
            synchronized (this) {
                a = result;
                if (a == null) {
                    a = load.get();
                    result = a;
                }
            }
        }
        return a;
    }
}
