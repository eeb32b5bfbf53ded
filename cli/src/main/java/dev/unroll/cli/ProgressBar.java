package dev.unroll.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: {@code [=====>     ]  45%  450/1000  loss 0.0123  ETA 0:12}.
 * On a terminal it redraws in place a few times a second; otherwise (a log file, a test) it prints a line
 * every tenth of the way, so logs stay short.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private long lastPrintedTenth = -1;

    public ProgressBar(PrintWriter out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.interactive = System.console() != null;
    }

    /** Reports that {@code done} of the total units are finished, with the latest loss. */
    public void update(long done, double loss) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (interactive) {
            if (finished || now - lastDrawNanos >= REDRAW_NANOS) {
                lastDrawNanos = now;
                out.print("\r" + line(done, loss, now));
                out.flush();
            }
        } else {
            long tenth = done * 10 / total;
            if (tenth != lastPrintedTenth) {
                lastPrintedTenth = tenth;
                out.println(line(done, loss, now));
                out.flush();
            }
        }
    }

    /** Ends the bar's line. */
    public void finish() {
        if (interactive) {
            out.println();
            out.flush();
        }
    }

    private String line(long done, double loss, long now) {
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        double elapsed = (now - startNanos) / 1e9;
        double eta = done == 0 ? Double.NaN : elapsed / done * (total - done);
        return String.format(Locale.ROOT, "%s [%s] %3d%%  %d/%d  loss %.4f  %s %s", label, bar,
                Math.round(fraction * 100), done, total, loss,
                done >= total ? "took" : "ETA", clock(done >= total ? elapsed : eta));
    }

    private static String clock(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
