package dev.unroll.cli.demo;

import dev.unroll.api.Backend;
import dev.unroll.benchmarks.CellNames;
import dev.unroll.cells.CellType;
import dev.unroll.cli.AtomicFiles;
import dev.unroll.cli.BackendOption;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.ProgressBar;
import dev.unroll.cli.TextTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unroll demo}: the adding problem at a length where the vanilla RNN fails and LSTM and GRU succeed.
 * Trains the three, prints their test MSE against the 0.167 of always predicting the mean, and draws the
 * loss curves and the gradient reaching each time step.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The adding problem (Hochreiter & Schmidhuber 1997): a vanilla RNN, an LSTM and a GRU learn to "
                + "add two marked numbers in a long sequence. Prints a table, writes a PNG chart of the loss "
                + "curves and of the gradient reaching each time step."})
public final class DemoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Directory for the chart and results.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cells", split = ",", paramLabel = "CELL", converter = CellNames.class,
            defaultValue = "rnn,lstm,gru", description = "Cells to train (default: ${DEFAULT-VALUE}).")
    List<CellType> cells;

    @Option(names = "--length", defaultValue = "" + DemoDefaults.LENGTH, description = "Sequence length T (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--hidden", defaultValue = "" + DemoDefaults.HIDDEN, description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch", defaultValue = "" + DemoDefaults.BATCH, description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "" + DemoDefaults.STEPS, description = "Training steps per cell (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "" + DemoDefaults.LEARNING_RATE, description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip", defaultValue = "" + DemoDefaults.CLIP, description = "Global gradient-norm clip (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--eval-every", defaultValue = "" + DemoDefaults.EVAL_EVERY, description = "Steps between test measurements (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--test-batches", defaultValue = "" + DemoDefaults.TEST_BATCHES, description = "Held-out batches (default: ${DEFAULT-VALUE}).")
    int testBatches;

    @Option(names = "--seed", defaultValue = "" + DemoDefaults.SEED, description = "Seed of data and weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        DemoSettings settings = new DemoSettings(cells, length, hidden, batch, steps, learningRate, clip, evalEvery,
                testBatches, seed);
        // before any cell trains: an --out that cannot take the files would otherwise fail minutes later
        AtomicFiles.checkWritable(out.resolve("adding-problem.png"), "chart");
        AtomicFiles.checkWritable(out.resolve("results.json"), "results");
        json.checkWritable();
        DemoReport report;
        try (Backend compute = backend.open()) {
            stdout.printf(Locale.ROOT, "Adding problem, T = %d, hidden %d, batch %d, %d Adam steps (lr %s, clip %s) "
                    + "per cell, on backend %s%n", length, hidden, batch, steps, learningRate, clip, compute.name());
            stdout.flush();
            report = new AddingDemo(compute, settings).run(new AddingDemo.Listener() {
                private ProgressBar bar;

                @Override
                public void onStep(CellType cell, int step, double loss) {
                    if (bar == null) {
                        bar = new ProgressBar(stderr, String.format(Locale.ROOT, "%-8s", CellNames.shortName(cell)), steps);
                    }
                    bar.update(step, loss);
                }

                @Override
                public void onCellDone(CellResult result) {
                    bar.finish();
                    bar = null;
                }
            });
        }
        Path chart = out.resolve("adding-problem.png");
        DemoChart.write(chart, report);
        JsonOption.writeTo(out.resolve("results.json"), report);
        json.write(report);
        stdout.println();
        stdout.print(table(report));
        stdout.printf(Locale.ROOT, "%nChart: %s%nResults: %s%n", chart, out.resolve("results.json"));
        stdout.flush();
    }

    static String table(DemoReport report) {
        TextTable table = new TextTable("cell", "test MSE", "of baseline 0.167", "solved (< 0.01)", "train time");
        for (CellResult r : report.results()) {
            table.row(r.cell().equals("rnn_tanh") ? "rnn (tanh)" : r.cell(),
                    String.format(Locale.ROOT, "%.4f", r.testMse()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * r.testMse() / report.meanPredictorMse()),
                    r.solved() ? "yes" : "no",
                    String.format(Locale.ROOT, "%.1f s", r.trainSeconds()));
        }
        return table.toString();
    }
}
