package dev.unroll.cli.launcher;

import picocli.CommandLine;

/** {@code unroll --version}: the version Maven stamped into the jar's manifest, if any. */
public final class UnrollVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = UnrollCli.class.getPackage().getImplementationVersion();
        return new String[] {"unroll " + (version == null ? "(development build)" : version)};
    }
}
