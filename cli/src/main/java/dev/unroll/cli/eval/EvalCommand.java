package dev.unroll.cli.eval;

import dev.unroll.cli.BackendOption;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.TextTable;
import dev.unroll.cli.task.TrainedModel;
import dev.unroll.cli.UserError;
import dev.unroll.cli.task.Metrics;
import dev.unroll.cli.task.SequenceTask;
import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.model.Trainable;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code unroll eval}: measures a trained model on a data file of its task: accuracy and loss (classify),
 * per-step accuracy (tag), bits per character (lm), exact match (seq2seq).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure a trained model on a data set in its task's format.")
public final class EvalCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "A checkpoint from `unroll train`.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE|builtin:NAME",
            description = "Data in the model's task format, or a built-in data set (fresh examples).")
    String data;

    @Option(names = "--batch", defaultValue = "64", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--examples", defaultValue = "1000", paramLabel = "N",
            description = "Examples to generate for builtin data (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--seed", defaultValue = "12345",
            description = "Seed of generated builtin data; differs from train's default so the examples are new "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    /** The JSON report. */
    record Report(String model, String task, String data, int examples, Map<String, Double> metrics) {
    }

    @Override
    public void run() {
        // checked before the model is loaded: 0 or less would fail deep inside batching with an obscure message
        UserError.require(batch >= 1, "--batch", "a whole number >= 1", batch);
        UserError.require(examples >= 1, "--examples", "a whole number >= 1", examples);
        json.checkWritable();
        try (TrainedModel trained = TrainedModel.load(model, backend)) {
            evaluate(trained.task(), trained);
        }
    }

    private <E, B> void evaluate(SequenceTask<E, B> task, TrainedModel trained) {
        Optional<BuiltinDataset> builtin = BuiltinDataset.fromSpec(data);
        List<E> items = builtin.isPresent() ? task.generate(builtin.get(), examples, seed) : task.read(Path.of(data));
        if (items.isEmpty()) {
            throw new UserError(data + " holds no examples");
        }
        @SuppressWarnings("unchecked")
        Trainable<B> model = (Trainable<B>) trained.model();
        Metrics metrics = task.evaluate(model, items, batch);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s model %s on %s (%d examples, backend %s)%n%n", task.kind().id(), this.model, data,
                items.size(), trained.backend().name());
        TextTable table = new TextTable("metric", "value");
        metrics.asMap().forEach((name, value) -> table.row(name, String.format(Locale.ROOT, "%.4f", value)));
        out.print(table);
        out.flush();
        json.write(new Report(this.model.toString(), task.kind().id(), data, items.size(), metrics.asMap()));
    }
}
