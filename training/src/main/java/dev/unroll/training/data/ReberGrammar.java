package dev.unroll.training.data;

import java.util.Random;

/**
 * The embedded Reber grammar (Reber 1967; used as a long-memory test by Hochreiter and Schmidhuber 1997):
 * {@code B T <reber> T E} or {@code B P <reber> P E}, where {@code <reber>} is a string of the Reber
 * grammar. To predict the second-to-last symbol, a model has to remember the second symbol across the
 * whole inner string; the inner grammar alone is learnable by much simpler models.
 *
 * <p>The inner grammar is the finite automaton below (state, symbol, next state), starting with {@code B}
 * and ending with {@code E}:
 * <pre>
 *   0 -T-> 1   0 -P-> 5
 *   1 -S-> 1   1 -X-> 2
 *   2 -S-> 3   2 -X-> 5
 *   5 -T-> 5   5 -V-> 4
 *   4 -V-> 3   4 -P-> 2
 *   3 -E-> end
 * </pre>
 * which accepts e.g. {@code BTXSE}, {@code BPVVE}, {@code BTSSXXTVVE}, {@code BPTVPSE}.
 */
public final class ReberGrammar {
    /** Every symbol the grammar uses. */
    public static final String ALPHABET = "BTPSXVE";

    private static final int START = 0;
    private static final int BEFORE_END = 3;
    /** From state s, symbol SYMBOLS[s].charAt(i) leads to NEXT[s][i]; both choices are equally likely. */
    private static final String[] SYMBOLS = {"TP", "SX", "SX", "E", "VP", "TV"};
    private static final int[][] NEXT = {{1, 5}, {1, 2}, {3, 5}, {-1}, {3, 2}, {5, 4}};

    private ReberGrammar() {
    }

    /** A random string of the (plain) Reber grammar, e.g. {@code BTXSE}. */
    public static String generateReber(Random random) {
        StringBuilder out = new StringBuilder("B");
        int state = START;
        while (state != BEFORE_END) {
            int choice = random.nextInt(2);
            out.append(SYMBOLS[state].charAt(choice));
            state = NEXT[state][choice];
        }
        return out.append('E').toString();
    }

    /** A random string of the embedded Reber grammar, e.g. {@code BTBTXSETE}. */
    public static String generateEmbedded(Random random) {
        char branch = random.nextBoolean() ? 'T' : 'P';
        return "B" + branch + generateReber(random) + branch + "E";
    }

    /** Whether {@code s} is a string of the plain Reber grammar. */
    public static boolean isValidReber(String s) {
        if (s.length() < 2 || s.charAt(0) != 'B' || s.charAt(s.length() - 1) != 'E') {
            return false;
        }
        int state = START;
        for (int i = 1; i < s.length() - 1; i++) {
            int next = SYMBOLS[state].indexOf(s.charAt(i));
            if (state == BEFORE_END || next < 0) {
                return false;
            }
            state = NEXT[state][next];
        }
        return state == BEFORE_END;
    }

    /** Whether {@code s} is a string of the embedded Reber grammar: the validator of generated strings. */
    public static boolean isValidEmbedded(String s) {
        if (s.length() < 4 || s.charAt(0) != 'B' || s.charAt(s.length() - 1) != 'E') {
            return false;
        }
        char branch = s.charAt(1);
        if ((branch != 'T' && branch != 'P') || s.charAt(s.length() - 2) != branch) {
            return false;
        }
        return isValidReber(s.substring(2, s.length() - 2));
    }
}
