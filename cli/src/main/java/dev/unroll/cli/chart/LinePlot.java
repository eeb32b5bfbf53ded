package dev.unroll.cli.chart;

import java.util.List;

/**
 * What one panel of a chart shows: lines over a shared x axis, optionally a horizontal reference line
 * (such as a baseline to beat), and whether y is on a log scale (losses, gradient norms spanning decades).
 *
 * @param reference      y of a dashed horizontal line, or NaN for none
 * @param referenceLabel the reference line's label
 */
public record LinePlot(String title, String xLabel, String yLabel, List<Series> series, boolean logY,
                       double reference, String referenceLabel) {

    public LinePlot {
        series = List.copyOf(series);
    }

    public static LinePlot of(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
        return new LinePlot(title, xLabel, yLabel, series, logY, Double.NaN, null);
    }

    public LinePlot withReference(double y, String label) {
        return new LinePlot(title, xLabel, yLabel, series, logY, y, label);
    }
}
