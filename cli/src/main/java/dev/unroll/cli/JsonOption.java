package dev.unroll.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --json FILE}: the numbers a command reports, also written as JSON for scripts and CI. */
public final class JsonOption {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the reported numbers to FILE as JSON.")
    Path file;

    /** Writes {@code report} (a record, map or list; Gson maps its fields) if {@code --json} was given. */
    public void write(Object report) {
        if (file != null) {
            writeTo(file, report);
        }
    }

    /** Fails at once if {@code --json} names a file that could not be written (see {@link AtomicFiles#checkWritable}). */
    public void checkWritable() {
        if (file != null) {
            AtomicFiles.checkWritable(file, "--json");
        }
    }

    /** Writes {@code report} as JSON to {@code target}, atomically. */
    public static void writeTo(Path target, Object report) {
        AtomicFiles.write(target, (GSON.toJson(report) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
