package dev.unroll.cli.launcher;

import dev.unroll.api.config.BackendUnavailableException;
import dev.unroll.api.config.UnknownBackendException;
import dev.unroll.cli.AtomicFiles;
import dev.unroll.cli.UserError;
import dev.unroll.training.data.DataFormatException;
import dev.unroll.training.loop.NonFiniteTrainingException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns the exceptions that mean "the input was wrong" (bad data file, unknown backend, bad option value)
 * into one line {@code unroll: error: MESSAGE} on stderr and exit code {@link UserError#EXIT_CODE}. Anything
 * else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult)
            throws Exception {
        if (isUserError(e)) {
            cli.getErr().println(cli.getColorScheme().errorText("unroll: error: " + message(e)));
            cli.getErr().flush();
            return UserError.EXIT_CODE;
        }
        throw e; // a bug: picocli prints the stack trace

    }

    /**
     * The exception's message, with the reason of an I/O failure appended where the message leaves it out
     * (the training library's "Cannot write checkpoint X" says what failed but not why).
     */
    static String message(Exception e) {
        String message = e.getMessage();
        if (e instanceof UncheckedIOException io) {
            String reason = AtomicFiles.reason(io.getCause());
            if (message == null) {
                return reason;
            }
            // only the reason itself makes it redundant: a message holding just the cause's message, often
            // the bare path ("cannot read data.tsv: data.tsv"), still does not say why
            if (!message.contains(reason)) {
                return message + ": " + reason;
            }
        }
        return message;
    }

    static boolean isUserError(Throwable e) {
        return e instanceof UserError
                || e instanceof DataFormatException
                || e instanceof NonFiniteTrainingException
                || e instanceof UnknownBackendException
                || e instanceof BackendUnavailableException
                || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException;
    }
}
