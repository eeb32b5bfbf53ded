package dev.unroll.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import dev.unroll.cli.launcher.UnrollCli;
import picocli.CommandLine;

/** Runs the {@code unroll} command line in-process, as the launcher would, and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = UnrollCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** For assertion messages: everything the command printed. */
    public String transcript() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
