package dev.unroll.cli;

import dev.unroll.api.Backend;
import dev.unroll.api.config.Backends;
import picocli.CommandLine.Option;

/** {@code --backend NAME}, shared by every command that computes: absent, the configuration rules choose. */
public final class BackendOption {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (see `unroll backends`). Default: system property unroll.backend, "
                    + "environment UNROLL_BACKEND, unroll.properties, else the best-ranked available one.")
    String name;

    /** Creates the chosen backend; the caller closes it. */
    public Backend open() {
        return Backends.fromConfiguration(name);
    }
}
