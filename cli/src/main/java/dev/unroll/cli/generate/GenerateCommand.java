package dev.unroll.cli.generate;

import dev.unroll.cli.BackendOption;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.task.TrainedModel;
import dev.unroll.cli.UserError;
import dev.unroll.cli.task.LanguageModelTask;
import dev.unroll.cli.task.TaskKind;
import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.ReberGrammar;
import dev.unroll.training.model.LanguageModel;
import dev.unroll.training.model.Sampling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unroll generate}: samples text from a trained language model, from a prime or from nothing. For a
 * model trained on {@code builtin:reber} it also reports how many samples are valid embedded Reber strings.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sample text from a language model trained with `unroll train --task lm`.")
public final class GenerateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "A language-model checkpoint.")
    Path model;

    @Option(names = "--prime", defaultValue = "", paramLabel = "TEXT",
            description = "Text to continue (default: none).")
    String prime;

    @Option(names = "--length", defaultValue = "200", paramLabel = "N",
            description = "Tokens to generate at most per sample; a sample also ends at the end-of-sequence token "
                    + "(default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Softmax temperature: below 1 safer, above 1 wilder, 0 greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
            description = "Draw from the K most likely tokens only; 0 for all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--count", defaultValue = "1", paramLabel = "N",
            description = "Samples to draw (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the first sample; sample i uses seed + i (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The JSON report; {@code validReberFraction} only for a model trained on builtin:reber. */
    record Report(String model, String prime, double temperature, List<String> samples, Double validReberFraction) {
    }

    @Override
    public void run() {
        UserError.require(length >= 1, "--length", "a whole number >= 1", length);
        UserError.require(count >= 1, "--count", "a whole number >= 1", count);
        // Sampling checks these too, but only after the model is loaded and under its own field names; written so
        // that NaN fails them
        UserError.require(temperature >= 0 && Double.isFinite(temperature), "--temperature", "a finite number >= 0",
                temperature);
        UserError.require(topK >= 0, "--top-k", "a whole number >= 0 (0 for all tokens)", topK);
        json.checkWritable();
        PrintWriter out = spec.commandLine().getOut();
        try (TrainedModel trained = TrainedModel.load(model, backend, TaskKind.LM, "generate")) {
            LanguageModelTask task = (LanguageModelTask) trained.task();
            LanguageModel languageModel = (LanguageModel) trained.model();
            List<String> samples = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String text = task.generate(languageModel, prime, length, new Sampling(temperature, topK, seed + i));
                samples.add(text);
                out.println(text);
            }
            Double validFraction = null;
            if (trained.trainedOn().equals(BuiltinDataset.PREFIX + BuiltinDataset.REBER.id())) {
                long valid = samples.stream().filter(ReberGrammar::isValidEmbedded).count();
                validFraction = (double) valid / count;
                out.printf(Locale.ROOT, "%nvalid embedded Reber strings: %d of %d (%.1f%%)%n", valid, count,
                        100.0 * validFraction);
            }
            out.flush();
            json.write(new Report(model.toString(), prime, temperature, samples, validFraction));
        }
    }
}
