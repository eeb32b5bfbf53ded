package dev.unroll.cli.chart;

/** One named line of a chart: {@code y[i]} at {@code x[i]}. */
public record Series(String name, double[] x, double[] y) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException(name + ": " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** A series at {@code x = 0, 1, 2, ...}. */
    public static Series indexed(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, y);
    }
}
