package dev.unroll.cli.demo;

import dev.unroll.cli.chart.LinePlot;
import dev.unroll.cli.chart.PngCharts;
import dev.unroll.cli.chart.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's picture, three panels: the test MSE of each cell during training against the mean-predictor
 * baseline, and the vanishing-gradient view, how much of the loss's gradient reaches each input step with
 * the initial weights and after training (log scale: the vanilla RNN's falls by orders of magnitude towards
 * the first steps and stays so; the gated cells learn to carry it back).
 */
final class DemoChart {
    private DemoChart() {
    }

    static void write(Path file, DemoReport report) {
        List<Series> mse = new ArrayList<>();
        List<Series> gradientsBefore = new ArrayList<>();
        List<Series> gradientsAfter = new ArrayList<>();
        for (CellResult result : report.results()) {
            double[] at = Arrays.stream(result.evaluatedAt()).asDoubleStream().toArray();
            mse.add(new Series(result.cell(), at, result.testMseCurve()));
            gradientsBefore.add(Series.indexed(result.cell(), result.inputGradientAtStart()));
            gradientsAfter.add(Series.indexed(result.cell(), result.inputGradientAtEnd()));
        }
        int t = report.settings().sequenceLength();
        LinePlot losses = LinePlot.of("Adding problem, T = " + t + ": test MSE", "training step", "test MSE (log)",
                mse, true).withReference(report.meanPredictorMse(), "predict the mean (0.167)");
        LinePlot before = LinePlot.of("Gradient reaching each input step, initial weights", "time step t",
                "mean ||dL/dx_t|| (log)", gradientsBefore, true);
        LinePlot after = LinePlot.of("Gradient reaching each input step, after training", "time step t",
                "mean ||dL/dx_t|| (log)", gradientsAfter, true);
        PngCharts.write(file, List.of(losses, before, after));
    }
}
