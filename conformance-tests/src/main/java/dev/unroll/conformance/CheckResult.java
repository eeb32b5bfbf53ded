package dev.unroll.conformance;

/**
 * The outcome of running one {@link Check}.
 *
 * @param failure what the check threw, or null when it passed
 */
public record CheckResult(Check check, boolean passed, Throwable failure) {

    public static CheckResult pass(Check check) {
        return new CheckResult(check, true, null);
    }

    public static CheckResult fail(Check check, Throwable failure) {
        return new CheckResult(check, false, failure);
    }

    /** True when the check failed on a wrong result (an assertion), not on an unexpected exception. */
    public boolean failedOnAssertion() {
        return failure instanceof AssertionError;
    }
}
