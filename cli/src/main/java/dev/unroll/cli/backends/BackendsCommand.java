package dev.unroll.cli.backends;

import dev.unroll.api.config.BackendRegistry;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code unroll backends}: every backend on the classpath, whether it is available and why not. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List every known backend, available or not and why, and which one the configuration picks.")
public final class BackendsCommand implements Runnable {

    /** One backend in the JSON report. */
    record BackendStatus(String name, int rank, boolean available, String reason, boolean selected) {
    }

    /** The JSON report: the backends and which one a command without --backend would use. */
    record Report(List<BackendStatus> backends, String defaultBackend, String chosenBy) {
    }

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public void run() {
        json.checkWritable();
        PrintWriter out = spec.commandLine().getOut();
        BackendRegistry registry = BackendRegistry.fromClasspath();
        String selected = null;
        String chosenBy = null;
        try {
            BackendRegistry.Selection selection = registry.select(null);
            selected = selection.name();
            chosenBy = selection.source();
        } catch (RuntimeException noneAvailable) {
            chosenBy = noneAvailable.getMessage();
        }
        List<BackendStatus> statuses = new ArrayList<>();
        TextTable table = new TextTable("backend", "rank", "status");
        for (BackendProvider provider : registry.providers()) {
            Availability availability = registry.availability(provider);
            boolean isDefault = provider.name().equalsIgnoreCase(String.valueOf(selected));
            statuses.add(new BackendStatus(provider.name(), provider.rank(), availability.available(),
                    availability.available() ? null : availability.reason(), isDefault));
            table.row(provider.name() + (isDefault ? " *" : ""), provider.rank(),
                    availability.available() ? "available" : "unavailable: " + availability.reason());
        }
        if (statuses.isEmpty()) {
            out.println(registry.describe());
        } else {
            out.print(table);
            out.println(selected == null ? "no default backend: " + chosenBy
                    : "* default: " + selected + " (chosen by " + chosenBy + ")");
        }
        out.flush();
        json.write(new Report(statuses, selected, chosenBy));
    }
}
