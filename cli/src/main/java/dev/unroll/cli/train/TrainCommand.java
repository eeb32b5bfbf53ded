package dev.unroll.cli.train;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.benchmarks.CellNames;
import dev.unroll.cells.CellType;
import dev.unroll.cli.BackendOption;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.ProgressBar;
import dev.unroll.cli.TextTable;
import dev.unroll.cli.UserError;
import dev.unroll.cli.task.CheckpointKeys;
import dev.unroll.cli.task.Metrics;
import dev.unroll.cli.task.ModelShape;
import dev.unroll.cli.task.SequenceTask;
import dev.unroll.cli.task.TaskKind;
import dev.unroll.cli.task.Tasks;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.TrainTestSplit;
import dev.unroll.training.loop.BatchSource;
import dev.unroll.training.loop.EpochReport;
import dev.unroll.training.loop.StepReport;
import dev.unroll.training.loop.Trainer;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingListener;
import dev.unroll.training.loop.TruncatedBptt;
import dev.unroll.training.model.Models;
import dev.unroll.training.model.SequenceModel;
import dev.unroll.training.model.Trainable;
import dev.unroll.training.optim.OptimizerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unroll train}: reads or generates a data set, holds out a validation part, trains the task's model
 * with the training library's {@link Trainer}, and leaves a checkpoint (written atomically after every
 * epoch, so a failed run leaves the last complete one or nothing), a PNG training curve beside it, and the
 * validation metrics.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model for one of the four sequence tasks (or regression) and save a checkpoint.")
public final class TrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Option(names = "--task", converter = TaskKind.Converter.class, paramLabel = "TASK",
            description = "classify, tag, lm, seq2seq or regress (default for builtin:NAME: its own task).")
    TaskKind task;

    @Option(names = "--data", required = true, paramLabel = "FILE|builtin:NAME",
            description = "Training data: classify TSV label<TAB>text; tag CoNLL token<TAB>tag; lm UTF-8 text, one "
                    + "sequence per line; seq2seq TSV source<TAB>target; or builtin:adding, builtin:reber, builtin:dates.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "CKPT", description = "The checkpoint to write.")
    Path out;

    @Option(names = "--cell", defaultValue = "lstm", converter = CellNames.class,
            description = "rnn, rnn_relu, lstm or gru (default: ${DEFAULT-VALUE}).")
    CellType cell;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--embed", defaultValue = "32", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embed;

    @Option(names = "--bidirectional", description = "Bidirectional layers (classify, tag).")
    boolean bidirectional;

    @Option(names = "--tokens", defaultValue = "char", converter = TokenLevelConverter.class,
            description = "char or word (default: ${DEFAULT-VALUE}).")
    TokenLevel tokens;

    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam", converter = OptimizerConverter.class,
            description = "adam, sgd or rmsprop (default: ${DEFAULT-VALUE}).")
    OptimizerConfig.Kind optimizer;

    @Option(names = "--lr", defaultValue = "0.005", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip", defaultValue = "5", paramLabel = "EPS",
            description = "Clip the global gradient norm to EPS; 0 disables (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--tbptt", defaultValue = "0", paramLabel = "K",
            description = "Truncated BPTT over windows of K steps; 0 for full BPTT (default: ${DEFAULT-VALUE}).")
    int tbptt;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of data split, weights and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Share of the data held out to measure on (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--examples", paramLabel = "N",
            description = "Examples to generate for builtin data (default: adding 4000, reber 2000, dates 10000).")
    Integer examples;

    /** The JSON report of a training run. */
    record Report(String task, String data, String backend, int trainExamples, int validationExamples, int epochs,
                  long optimizerSteps, double seconds, double finalTrainLoss, Map<String, Double> validation,
                  List<EpochReport> perEpoch, String checkpoint, String chart) {
    }

    @Override
    public void run() {
        Optional<BuiltinDataset> builtin = BuiltinDataset.fromSpec(data);
        TaskKind kind = task != null ? task : builtin.map(d -> TaskKind.parse(d.task())).orElseThrow(() ->
                new UserError("--task is required for a data file: classify, tag, lm or seq2seq"));
        if (epochs < 1 || batch < 1 || tbptt < 0 || clip < 0 || !(learningRate > 0)
                || !(validation >= 0 && validation < 1)) {
            throw new UserError("need --epochs >= 1, --batch >= 1, --lr > 0, --clip >= 0, --tbptt >= 0 and "
                    + "0 <= --validation < 1");
        }
        if (examples != null && examples < 1) {
            throw new UserError("--examples must be at least 1, was " + examples);
        }
        if (bidirectional && tbptt > 0) {
            // a window's reverse direction would start from a state that comes from the past, not the future
            throw new UserError("--tbptt carries state from one window to the next, which a bidirectional model "
                    + "cannot do: train on whole sequences (drop --tbptt) or use one direction");
        }
        train(Tasks.create(kind, tokens), builtin);
    }

    private <E, B> void train(SequenceTask<E, B> sequenceTask, Optional<BuiltinDataset> builtin) {
        PrintWriter stdout = spec.commandLine().getOut();
        List<E> all = builtin.isPresent()
                ? sequenceTask.generate(builtin.get(), examples != null ? examples : defaultCount(builtin.get()), seed)
                : sequenceTask.read(Path.of(data));
        if (all.size() < 2) {
            throw new UserError(data + " has " + all.size() + " example(s); training needs at least 2");
        }
        TrainTestSplit<E> split = TrainTestSplit.of(all, validation, seed);
        sequenceTask.fit(split.train(), split.test());
        ModelShape shape = new ModelShape(cell, layers, hidden, embed, bidirectional);

        Map<String, String> extras = new LinkedHashMap<>();
        extras.put(CheckpointKeys.TASK, sequenceTask.kind().id());
        extras.put(CheckpointKeys.TOKENS, tokens.toString());
        extras.put(CheckpointKeys.DATA, data);
        sequenceTask.saveTo(extras);

        TrainerConfig config = TrainerConfig.of(epochs, seed, OptimizerConfig.of(optimizer, learningRate))
                .withClipper(clip > 0 ? GradientClipper.globalNorm(clip) : GradientClipper.none())
                .withTbptt(tbptt > 0 ? TruncatedBptt.of(tbptt) : null);
        try (Backend compute = backend.open();
             SequenceModel created = Models.create(compute, DType.FLOAT32, sequenceTask.modelConfig(shape))) {
            @SuppressWarnings("unchecked")
            Trainable<B> model = (Trainable<B>) created;
            model.initialize(seed);
            stdout.printf(Locale.ROOT, "Training %s (%s, %d layer(s), hidden %d) on %s: %d training and %d validation "
                            + "examples, backend %s%n", sequenceTask.kind().id(), CellNames.shortName(cell), layers,
                    hidden, data, split.train().size(), split.test().size(), compute.name());
            stdout.flush();
            int batchesPerEpoch = (split.train().size() + batch - 1) / batch;
            TrainingCurve curve = new TrainingCurve();
            long start = System.nanoTime();
            try (Trainer<B> trainer = new Trainer<>(model,
                    BatchSource.fromExamples(split.train(), batch, sequenceTask::collate), config)) {
                if (!split.test().isEmpty()) {
                    trainer.setValidation(() -> Map.of("validationLoss",
                            sequenceTask.meanLoss(model, split.test(), batch)));
                }
                ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "train", (long) epochs * batchesPerEpoch);
                trainer.addListener(curve);
                trainer.addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepReport report) {
                        bar.update((long) report.epoch() * batchesPerEpoch + report.batch() + 1, report.loss());
                    }
                });
                trainer.checkpointTo(out, 0, extras);
                trainer.train();
                bar.finish();
                double seconds = (System.nanoTime() - start) / 1e9;

                Metrics metrics = split.test().isEmpty() ? new Metrics()
                        : sequenceTask.evaluate(model, split.test(), batch);
                Path chart = TrainingCurve.pathBeside(out);
                curve.write(chart, sequenceTask.kind().id() + " on " + data);
                List<EpochReport> epochsDone = curve.epochs();
                double finalLoss = epochsDone.isEmpty() ? Double.NaN : epochsDone.get(epochsDone.size() - 1).meanLoss();
                Report report = new Report(sequenceTask.kind().id(), data, compute.name(), split.train().size(),
                        split.test().size(), epochs, trainer.optimizer().steps(), seconds, finalLoss,
                        metrics.asMap(), epochsDone, out.toString(), chart.toString());
                printSummary(stdout, report);
                json.write(report);
            }
        }
    }

    private static void printSummary(PrintWriter out, Report report) {
        TextTable table = new TextTable("measure", "value");
        table.row("final training loss", String.format(Locale.ROOT, "%.4f", report.finalTrainLoss()));
        report.validation().forEach((name, value) ->
                table.row("validation " + name, String.format(Locale.ROOT, "%.4f", value)));
        table.row("optimizer steps", report.optimizerSteps());
        table.row("time", String.format(Locale.ROOT, "%.1f s", report.seconds()));
        out.println();
        out.print(table);
        out.printf("%nCheckpoint: %s%nTraining curve: %s%n", report.checkpoint(), report.chart());
        out.flush();
    }

    private static int defaultCount(BuiltinDataset dataset) {
        return switch (dataset) {
            case ADDING -> 4000;
            case REBER -> 2000;
            case DATES -> 10000;
        };
    }

    /** Reads {@code --tokens}. */
    static final class TokenLevelConverter implements picocli.CommandLine.ITypeConverter<TokenLevel> {
        @Override
        public TokenLevel convert(String value) {
            try {
                return TokenLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --optimizer}. */
    static final class OptimizerConverter implements picocli.CommandLine.ITypeConverter<OptimizerConfig.Kind> {
        @Override
        public OptimizerConfig.Kind convert(String value) {
            try {
                return OptimizerConfig.Kind.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
