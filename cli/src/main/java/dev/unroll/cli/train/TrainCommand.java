package dev.unroll.cli.train;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.benchmarks.CellNames;
import dev.unroll.cells.CellType;
import dev.unroll.cli.AtomicFiles;
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
import dev.unroll.cli.task.TrainedModel;
import dev.unroll.training.checkpoint.Checkpoint;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.TrainTestSplit;
import dev.unroll.training.loop.BatchSource;
import dev.unroll.training.loop.EpochReport;
import dev.unroll.training.loop.StepReport;
import dev.unroll.training.loop.Trainer;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingProgress;
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
import picocli.CommandLine;
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
                    + "sequence per line; seq2seq TSV source<TAB>target; or builtin:adding, builtin:reber, "
                    + "builtin:dates.")
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

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of data split, weights and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Share of the data held out to measure on (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--examples", paramLabel = "N",
            description = "Examples to generate for builtin data (default: adding 4000, reber 2000, dates 10000).")
    Integer examples;

    @Option(names = "--resume",
            description = "Continue the run whose checkpoint is --out (say after an interruption, or to train "
                    + "longer) up to --epochs epochs in all, as an uninterrupted run would have. Give the same "
                    + "--data; the model, vocabularies, optimizer state, seed, held-out part, batch size and "
                    + "training settings all come from the checkpoint, so the model, data and optimizer options "
                    + "are refused with it.")
    boolean resume;

    /** The options whose value --resume takes from the checkpoint: given with it, they would go unused. */
    private static final List<String> SETTLED_BY_THE_CHECKPOINT = List.of("--batch", "--validation", "--lr",
            "--optimizer", "--cell", "--layers", "--hidden", "--embed", "--bidirectional", "--tbptt", "--clip",
            "--seed", "--tokens", "--examples");

    /** The JSON report of a training run. */
    record Report(String task, String data, String backend, int trainExamples, int validationExamples, int epochs,
                  long optimizerSteps, double seconds, double finalTrainLoss, Map<String, Double> validation,
                  List<EpochReport> perEpoch, String checkpoint, String chart) {
    }

    @Override
    public void run() {
        if (resume) {
            refuseOptionsTheCheckpointSettles();
        }
        // one check per option, each naming the option, what it takes and what it got; the comparisons are
        // written so that NaN fails them (NaN < 0 is false, so `clip < 0` would let --clip NaN through)
        UserError.require(epochs >= 1, "--epochs", "a whole number >= 1", epochs);
        UserError.require(batch >= 1, "--batch", "a whole number >= 1", batch);
        UserError.require(learningRate > 0 && Double.isFinite(learningRate), "--lr", "a finite number > 0",
                learningRate);
        UserError.require(clip >= 0 && Double.isFinite(clip), "--clip", "a finite number >= 0 (0 disables clipping)",
                clip);
        UserError.require(tbptt >= 0, "--tbptt", "a whole number >= 0 (0 for full BPTT)", tbptt);
        UserError.require(validation >= 0 && validation < 1, "--validation", "a fraction with 0 <= FRACTION < 1",
                validation);
        UserError.require(examples == null || examples >= 1, "--examples", "a whole number >= 1", examples);
        if (bidirectional && tbptt > 0) {
            // a window's reverse direction would start from a state that comes from the past, not the future
            throw new UserError("--tbptt carries state from one window to the next, which a bidirectional model "
                    + "cannot do: train on whole sequences (drop --tbptt) or use one direction");
        }
        Optional<BuiltinDataset> builtin = BuiltinDataset.fromSpec(data);
        Checkpoint resumed = resume ? readToResume() : null;
        SequenceTask<?, ?> sequenceTask;
        if (resumed != null) {
            sequenceTask = restoredTask(resumed);
        } else {
            TaskKind kind = task != null ? task : builtin.map(d -> TaskKind.parse(d.task())).orElseThrow(() ->
                    new UserError("--task is required for a data file: classify, tag, lm or seq2seq"));
            sequenceTask = Tasks.create(kind, tokens);
        }
        // before the data is read and the model trained: a path that cannot take the files would otherwise
        // fail only at the end of the first epoch (checkpoint) or of the whole run (chart, --json)
        AtomicFiles.checkWritable(out, "checkpoint");
        AtomicFiles.checkWritable(TrainingCurve.pathBeside(out), "training curve");
        json.checkWritable();
        train(sequenceTask, builtin, resumed);
    }

    /**
     * Refuses, on --resume, the options given explicitly whose value the checkpoint settles, rather than
     * validating and then ignoring them: a user who asks for --lr 0.1 on a resumed run would not get it.
     */
    private void refuseOptionsTheCheckpointSettles() {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        List<String> unused = SETTLED_BY_THE_CHECKPOINT.stream().filter(given::hasMatchedOption).toList();
        if (!unused.isEmpty()) {
            throw new UserError("--resume continues with the settings saved in " + out + ", so it does not take "
                    + String.join(", ", unused) + "; drop " + (unused.size() == 1 ? "it" : "them"));
        }
    }

    /**
     * The task {@code resumed} continues, with its vocabularies. Its kind comes from the checkpoint, so --task is
     * not needed on --resume, and is compared only when given: a different one is a mistake worth naming.
     */
    private SequenceTask<?, ?> restoredTask(Checkpoint resumed) {
        SequenceTask<?, ?> restored = Tasks.restore(resumed.extras());
        if (task != null && restored.kind() != task) {
            throw new UserError("--resume: " + out + " holds a " + restored.kind().id() + " model, not " + task.id());
        }
        return restored;
    }

    /**
     * The checkpoint --resume continues: it must be one `unroll train` wrote with its training state, for the
     * same data, and have epochs left to run.
     */
    private Checkpoint readToResume() {
        Checkpoint checkpoint = TrainedModel.read(out);
        String trainedOn = CheckpointKeys.require(checkpoint.extras(), CheckpointKeys.DATA);
        if (!trainedOn.equals(data)) {
            throw new UserError("--resume: " + out + " was trained on --data " + trainedOn + ", not " + data
                    + "; give the same data to continue");
        }
        if (checkpoint.training() == null || checkpoint.optimizer() == null || checkpoint.progress() == null) {
            throw new UserError("--resume: " + out + " holds a model only, without the training state to continue");
        }
        TrainingProgress progress = checkpoint.progress();
        if (progress.epoch() >= epochs) {
            throw new UserError("--resume: " + out + " has already trained " + progress.epoch() + " epoch(s); ask "
                    + "for more with --epochs (was " + epochs + ")");
        }
        return checkpoint;
    }

    /** Trains {@code sequenceTask}'s model afresh, or continues the run of {@code resumed} if not null. */
    private <E, B> void train(SequenceTask<E, B> sequenceTask, Optional<BuiltinDataset> builtin, Checkpoint resumed) {
        PrintWriter stdout = spec.commandLine().getOut();
        // what decides the examples and the held-out part: the checkpoint's on --resume, so both are the same
        long dataSeed = resumed != null ? resumed.training().seed() : seed;
        int defaultCount = examples != null ? examples : builtin.map(TrainCommand::defaultCount).orElse(0);
        List<String> unrecorded = new ArrayList<>();
        double heldOut = resumed == null ? validation : Double.parseDouble(recorded(resumed,
                CheckpointKeys.VALIDATION, "--validation", Double.toString(validation), unrecorded));
        int batchSize = resumed == null ? batch : Integer.parseInt(recorded(resumed, CheckpointKeys.BATCH,
                "--batch", Integer.toString(batch), unrecorded));
        // builtin data is the only data whose count is recorded: a file's is its length
        int count = resumed == null || builtin.isEmpty() ? defaultCount : Integer.parseInt(recorded(resumed,
                CheckpointKeys.EXAMPLES, "--examples", Integer.toString(defaultCount), unrecorded));
        if (!unrecorded.isEmpty()) {
            spec.commandLine().getErr().println("unroll: warning: " + out + " (from an older unroll) does not record "
                    + String.join(", ", unrecorded) + "; using the command-line default, so the resumed run may not "
                    + "continue the first one exactly");
            spec.commandLine().getErr().flush();
        }
        List<E> all = builtin.isPresent()
                ? sequenceTask.generate(builtin.get(), count, dataSeed)
                : sequenceTask.read(Path.of(data));
        if (all.size() < 2) {
            throw new UserError(data + " has " + all.size() + " example(s); training needs at least 2");
        }
        TrainTestSplit<E> split = TrainTestSplit.of(all, heldOut, dataSeed);

        Map<String, String> extras = new LinkedHashMap<>();
        if (resumed != null) {
            extras.putAll(resumed.extras()); // the vocabularies the model was trained with, not refitted ones
        } else {
            sequenceTask.fit(split.train(), split.test());
            extras.put(CheckpointKeys.TASK, sequenceTask.kind().id());
            extras.put(CheckpointKeys.TOKENS, tokens.toString());
            extras.put(CheckpointKeys.DATA, data);
            extras.put(CheckpointKeys.VALIDATION, Double.toString(validation));
            extras.put(CheckpointKeys.BATCH, Integer.toString(batch));
            if (builtin.isPresent()) {
                extras.put(CheckpointKeys.EXAMPLES, Integer.toString(count));
            }
            sequenceTask.saveTo(extras);
        }

        TrainerConfig config = resumed != null ? resumed.training().withEpochs(epochs)
                : TrainerConfig.of(epochs, seed, OptimizerConfig.of(optimizer, learningRate))
                .withClipper(clip > 0 ? GradientClipper.globalNorm(clip) : GradientClipper.none())
                .withTbptt(tbptt > 0 ? TruncatedBptt.of(tbptt) : null);
        try (Backend compute = backend.open();
             SequenceModel created = resumed != null ? resumed.restoreModel(compute)
                     : Models.create(compute, DType.FLOAT32, sequenceTask.modelConfig(
                             new ModelShape(cell, layers, hidden, embed, bidirectional)))) {
            @SuppressWarnings("unchecked")
            Trainable<B> model = (Trainable<B>) created;
            if (resumed == null) {
                model.initialize(seed);
                stdout.printf(Locale.ROOT, "Training %s (%s, %d layer(s), hidden %d) on %s: %d training and %d "
                                + "validation examples, backend %s%n", sequenceTask.kind().id(),
                        CellNames.shortName(cell), layers, hidden, data, split.train().size(), split.test().size(),
                        compute.name());
            } else {
                stdout.printf(Locale.ROOT, "Resuming %s from %s (epoch %d of %d) on %s: %d training and %d "
                                + "validation examples, backend %s%n", sequenceTask.kind().id(), out,
                        resumed.progress().epoch(), epochs, data, split.train().size(), split.test().size(),
                        compute.name());
            }
            stdout.flush();
            int batchesPerEpoch = (split.train().size() + batchSize - 1) / batchSize;
            TrainingCurve curve = new TrainingCurve();
            long start = System.nanoTime();
            BatchSource<B> batches = BatchSource.fromExamples(split.train(), batchSize, sequenceTask::collate);
            try (Trainer<B> trainer = resumed != null
                    ? Trainer.resume(model, batches, withTraining(resumed, config))
                    : new Trainer<>(model, batches, config)) {
                if (!split.test().isEmpty()) {
                    trainer.setValidation(() -> Map.of("validationLoss",
                            sequenceTask.meanLoss(model, split.test(), batchSize)));
                }
                ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "train",
                        (long) epochs * batchesPerEpoch);
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
                        : sequenceTask.evaluate(model, split.test(), batchSize);
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

    /**
     * The value {@code resumed} holds under {@code key}, or else {@code fallback}, the command line's default: a
     * checkpoint an older unroll wrote lacks the key; {@code option} and the fallback are then added to
     * {@code unrecorded}, for the warning.
     */
    private static String recorded(Checkpoint resumed, String key, String option, String fallback,
                                   List<String> unrecorded) {
        String value = resumed.extras().get(key);
        if (value != null) {
            return value;
        }
        unrecorded.add(option + " (default " + fallback + ")");
        return fallback;
    }

    /** {@code checkpoint} with {@code training} in place of its own (to train to another number of epochs). */
    private static Checkpoint withTraining(Checkpoint checkpoint, TrainerConfig training) {
        return new Checkpoint(checkpoint.model(), checkpoint.dtype(), checkpoint.parameters(), checkpoint.optimizer(),
                training, checkpoint.progress(), checkpoint.extras());
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
