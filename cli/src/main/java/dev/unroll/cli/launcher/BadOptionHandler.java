package dev.unroll.cli.launcher;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * How a command line picocli cannot parse (unknown command or option, a value that does not convert, a missing
 * required option) looks: one line {@code unroll: error: MESSAGE (see `unroll CMD --help`)} on stderr, like
 * every other error of the command (see {@link UserErrorHandler}), instead of picocli's default of the message
 * followed by the whole usage text, which buries the one line that says what was wrong. The exit code stays
 * picocli's 2 for a bad command line; errors while running exit {@link dev.unroll.cli.UserError#EXIT_CODE} (1).
 */
final class BadOptionHandler implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        String help = cli.getCommandSpec().qualifiedName() + " --help";
        err.println(cli.getColorScheme().errorText("unroll: error: " + message(e) + " (see `" + help + "`)"));
        err.flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String message(CommandLine.ParameterException e) {
        CommandLine cli = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !cli.getSubcommands().isEmpty()
                && cli.getParent() == null && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            // picocli says "Unmatched argument at index 0: 'fly'"; what the user got wrong is the command name
            String suggestion = suggestion(unmatched.getSuggestions());
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'" + suggestion + "; choose one of "
                    + String.join(", ", cli.getSubcommands().keySet());
        }
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            message += suggestion(unmatched.getSuggestions());
        }
        return message;
    }

    private static String suggestion(List<String> suggestions) {
        return suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
    }
}
