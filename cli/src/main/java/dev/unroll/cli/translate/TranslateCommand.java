package dev.unroll.cli.translate;

import dev.unroll.cli.BackendOption;
import dev.unroll.cli.JsonOption;
import dev.unroll.cli.task.TrainedModel;
import dev.unroll.cli.UserError;
import dev.unroll.cli.task.Seq2SeqTask;
import dev.unroll.cli.task.TaskKind;
import dev.unroll.training.model.Seq2Seq;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unroll translate}: runs a trained seq2seq model on each text given, greedy or with beam search. */
@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Translate texts with a model trained by `unroll train --task seq2seq`.")
public final class TranslateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "A seq2seq checkpoint.")
    Path model;

    @Option(names = "--beam", defaultValue = "1", paramLabel = "N",
            description = "Beam width; 1 is greedy decoding (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--length-penalty", defaultValue = "0", paramLabel = "ALPHA",
            description = "With --beam: rank finished translations by log-probability / length^ALPHA (0: the most "
                    + "likely translation; about 1 compares them per token, where a weakly trained model's most "
                    + "likely translation is short or empty) (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to translate.")
    List<String> texts;

    /** One translation in the JSON report. */
    record Translation(String source, String translation) {
    }

    @Override
    public void run() {
        UserError.require(beam >= 1, "--beam", "a whole number >= 1", beam);
        // written so that NaN fails it
        UserError.require(lengthPenalty >= 0 && Double.isFinite(lengthPenalty), "--length-penalty",
                "a finite number >= 0", lengthPenalty);
        json.checkWritable();
        PrintWriter out = spec.commandLine().getOut();
        try (TrainedModel trained = TrainedModel.load(model, backend, TaskKind.SEQ2SEQ, "translate")) {
            Seq2SeqTask task = (Seq2SeqTask) trained.task();
            List<Translation> translations = new ArrayList<>();
            for (String text : texts) {
                String translation = task.translate((Seq2Seq) trained.model(), text, beam, lengthPenalty);
                translations.add(new Translation(text, translation));
                out.println(text + " => " + translation);
            }
            out.flush();
            json.write(translations);
        }
    }
}
