package dev.unroll.conformance;

import java.util.ArrayList;
import java.util.List;

/** Runs checks outside JUnit (the command line, the planted-fault tests), one after another. */
public final class CheckRunner {
    private CheckRunner() {
    }

    /** Runs every check, catching what each throws, so one failure does not hide the others. */
    public static List<CheckResult> run(List<Check> checks) {
        List<CheckResult> results = new ArrayList<>(checks.size());
        for (Check check : checks) {
            results.add(run(check));
        }
        return results;
    }

    /** Runs one check. Errors the JVM cannot recover from (out of memory) are not caught. */
    public static CheckResult run(Check check) {
        try {
            check.body().run();
            return CheckResult.pass(check);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return CheckResult.fail(check, t);
        }
    }
}
