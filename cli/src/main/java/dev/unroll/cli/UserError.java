package dev.unroll.cli;

/**
 * A problem with what the user asked for (a bad file, an unknown label, an option that does not fit the
 * task): the command prints its message, without a stack trace, and exits with {@link #EXIT_CODE}.
 */
public final class UserError extends RuntimeException {
    /** The exit code of a run stopped by bad input; picocli uses 2 for bad options. */
    public static final int EXIT_CODE = 1;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The check of one option's value: unless {@code ok}, a UserError naming the option, what it takes and the
     * value given ({@code --batch must be a whole number >= 1, was 0}).
     */
    public static void require(boolean ok, String option, String expected, Object value) {
        if (!ok) {
            throw new UserError(option + " must be " + expected + ", was " + value);
        }
    }
}
