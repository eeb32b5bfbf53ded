package dev.unroll.cli.chart;

import dev.unroll.cli.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders line plots side by side into one PNG with JFreeChart, without a display (the JVM must run with
 * {@code -Djava.awt.headless=true} on a server; the launcher and the tests set it). The file is written
 * atomically.
 */
public final class PngCharts {
    private static final int PANEL_WIDTH = 640;
    private static final int HEIGHT = 440;
    private static final Color[] PALETTE = {
            new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};

    private PngCharts() {
    }

    /** Writes {@code plots} left to right into {@code file}. */
    public static void write(Path file, List<LinePlot> plots) {
        if (!"true".equals(System.getProperty("java.awt.headless"))) {
            // A server has no display: rendering off-screen needs no window system at all.
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(PANEL_WIDTH * plots.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            for (int i = 0; i < plots.size(); i++) {
                chart(plots.get(i)).draw(g, new Rectangle2D.Double(i * PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT));
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, temporary -> {
            if (!ImageIO.write(image, "png", temporary.toFile())) {
                throw new java.io.IOException("no PNG writer in this JVM");
            }
        });
    }

    static JFreeChart chart(LinePlot plot) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : plot.series()) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                double y = s.y()[i];
                // a log axis cannot show zero or a negative value, and nothing can show NaN: skip those points
                if (Double.isFinite(y) && (!plot.logY() || y > 0)) {
                    xy.add(s.x()[i], y);
                }
            }
            data.addSeries(xy);
        }
        NumberAxis x = new NumberAxis(plot.xLabel());
        x.setAutoRangeIncludesZero(false);
        ValueAxis y;
        if (plot.logY()) {
            LogAxis log = new LogAxis(plot.yLabel());
            log.setSmallestValue(1e-30);
            // one tick per decade, labelled 1E-3: reads better than JFreeChart's default fractional powers (10^-0.8)
            log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            log.setNumberFormatOverride(new DecimalFormat("0E0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            y = log;
        } else {
            y = new NumberAxis(plot.yLabel());
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < plot.series().size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        XYPlot xyPlot = new XYPlot(data, x, y, renderer);
        xyPlot.setBackgroundPaint(Color.WHITE);
        xyPlot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        xyPlot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (Double.isFinite(plot.reference())) {
            ValueMarker marker = new ValueMarker(plot.reference(), Color.DARK_GRAY, new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            marker.setLabel(plot.referenceLabel());
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            xyPlot.addRangeMarker(marker);
        }
        JFreeChart chart = new JFreeChart(plot.title(), JFreeChart.DEFAULT_TITLE_FONT, xyPlot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
