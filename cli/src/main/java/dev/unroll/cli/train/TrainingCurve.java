package dev.unroll.cli.train;

import dev.unroll.cli.chart.LinePlot;
import dev.unroll.cli.chart.PngCharts;
import dev.unroll.cli.chart.Series;
import dev.unroll.training.loop.EpochReport;
import dev.unroll.training.loop.StepReport;
import dev.unroll.training.loop.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Records a run's losses as it trains and draws them: every step's loss and each epoch's validation loss. */
final class TrainingCurve implements TrainingListener {
    private final List<Double> stepLosses = new ArrayList<>();
    /** The optimizer step of each loss (1-based), the x axis the epoch-end validation points share. */
    private final List<Long> stepNumbers = new ArrayList<>();
    private final List<EpochReport> epochs = new ArrayList<>();
    private final List<Long> epochEndSteps = new ArrayList<>();
    private long steps;

    @Override
    public void onStep(StepReport report) {
        stepLosses.add(report.loss());
        stepNumbers.add(report.step());
        steps = report.step();
    }

    @Override
    public void onEpoch(EpochReport report) {
        epochs.add(report);
        epochEndSteps.add(steps);
    }

    List<EpochReport> epochs() {
        return List.copyOf(epochs);
    }

    /** {@code model.ckpt} -> {@code model-training.png}, in the same directory. */
    static Path pathBeside(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return checkpoint.resolveSibling(stem + "-training.png");
    }

    void write(Path file, String title) {
        PngCharts.write(file, List.of(LinePlot.of(title, "optimizer step", "loss (log)", series(), true)));
    }

    /** The chart's lines: each step's loss at its step number, each epoch's validation loss at its last step. */
    List<Series> series() {
        List<Series> series = new ArrayList<>();
        series.add(new Series("training loss (per step)", stepNumbers.stream().mapToDouble(Long::doubleValue).toArray(),
                stepLosses.stream().mapToDouble(Double::doubleValue).toArray()));
        List<Double> validation = new ArrayList<>();
        List<Double> at = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            Double loss = epochs.get(i).validation().get("validationLoss");
            if (loss != null) {
                validation.add(loss);
                at.add((double) epochEndSteps.get(i));
            }
        }
        if (!validation.isEmpty()) {
            series.add(new Series("validation loss (per epoch)", at.stream().mapToDouble(Double::doubleValue).toArray(),
                    validation.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return series;
    }
}
