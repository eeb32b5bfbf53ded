package dev.unroll.benchmarks;

import dev.unroll.api.config.BackendUnavailableException;
import picocli.CommandLine;

/**
 * How the standalone {@code unroll-bench} shows a bad request (a shape below 1, an unknown or unavailable backend):
 * one line {@code unroll-bench: error: MESSAGE} on stderr and exit code 1, as {@code unroll} does. Anything else is
 * a bug and keeps its stack trace.
 */
final class BenchErrorHandler implements CommandLine.IExecutionExceptionHandler {
    /** The exit code of a run stopped by a bad request; picocli uses 2 for a malformed option. */
    static final int EXIT_CODE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult)
            throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof BackendUnavailableException) {
            cli.getErr().println(cli.getColorScheme().errorText("unroll-bench: error: " + e.getMessage()));
            cli.getErr().flush();
            return EXIT_CODE;
        }
        throw e; // a bug: picocli prints the stack trace
    }
}
