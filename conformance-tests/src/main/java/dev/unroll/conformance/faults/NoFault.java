package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;

/**
 * The control: a wrapper like every fault, but with no bug. It must pass every check, which shows that
 * what fails under a planted fault is the fault and not the wrapping.
 */
final class NoFault extends FaultyBackend {
    static final PlantedFault CONTROL = new PlantedFault("no-fault",
            "forwards every operation unchanged (the control)", NoFault::new);

    NoFault(Backend working) {
        super(working, CONTROL.name());
    }
}
