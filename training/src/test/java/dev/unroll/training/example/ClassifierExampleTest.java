package dev.unroll.training.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.Backends;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.loop.BatchSource;
import dev.unroll.training.loop.Trainer;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.model.ClassificationBatch;
import dev.unroll.training.model.ClassifierConfig;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.SequenceClassifier;
import dev.unroll.training.model.TokenSequences;
import dev.unroll.training.optim.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole-program example of training/README.md, compiled and run by the build so it cannot go stale: an LSTM
 * classifier, through the public API only, learns whether a variable-length token sequence contains token 3.
 */
class ClassifierExampleTest {
    /** A sequence and its class: 1 if it contains token 3, else 0. */
    record Example(int[] tokens, int label) {
    }

    static List<Example> examples(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] tokens = random.ints(random.nextInt(3, 13), 1, 4).toArray();
            boolean hasThree = false;
            for (int t : tokens) {
                hasThree |= t == 3;
            }
            out.add(new Example(tokens, hasThree ? 1 : 0));
        }
        return out;
    }

    static ClassificationBatch collate(List<Example> batch) {
        return new ClassificationBatch(TokenSequences.pad(batch.stream().map(Example::tokens).toList()),
                batch.stream().mapToInt(Example::label).toArray());
    }

    /** The README shows the lines between the markers below, as they are here less their indentation. */
    @Test
    void theReadmeShowsThisExample() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/dev/unroll/training/example/ClassifierExampleTest.java"));
        String marked = source.substring(source.indexOf('\n', source.lastIndexOf("// README example from here")) + 1,
                source.lastIndexOf("            // README example to here"));
        String indent = " ".repeat(8); // the example's own indentation in this file, which the README drops
        for (String line : marked.lines().toList()) {
            // cutting 8 characters off a line indented less would show it truncated, and the check would still pass
            assertTrue(line.isBlank() || line.startsWith(indent),
                    "every non-blank line of the README example must start with 8 spaces; this one does not: " + line);
        }
        String shown = marked.lines().map(line -> line.isBlank() ? "" : line.substring(indent.length()))
                .collect(Collectors.joining("\n", "", "\n"));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("```java\n" + shown.stripTrailing() + "\n}\n```"),
                "training/README.md no longer shows ClassifierExampleTest's example as it is; it should read:\n"
                        + shown);
    }

    @Test
    void anLstmClassifierLearnsWhetherASequenceContainsAToken() {
        // README example from here
        try (Backend backend = Backends.create("ejml");          // or Backends.fromConfiguration()
             SequenceClassifier model = new SequenceClassifier(backend, DType.FLOAT32, new ClassifierConfig(
                     InputSpec.tokens(4, 8),                      // vocabulary of 4 ids (0 pads), embedding 8
                     RecurrentConfig.of(CellType.LSTM, 8, 16),    // LSTM from 8 inputs to 16 hidden units
                     2))) {                                       // two classes
            model.initialize(42);
            TrainerConfig config = TrainerConfig.of(8, 7, OptimizerConfig.adam(0.01))
                    .withClipper(GradientClipper.globalNorm(1.0));
            BatchSource<ClassificationBatch> batches =
                    BatchSource.fromExamples(examples(512, 1), 32, ClassifierExampleTest::collate);
            try (Trainer<ClassificationBatch> trainer = new Trainer<>(model, batches, config)) {
                trainer.train();
            }
            List<Example> test = examples(200, 2);
            int[] predicted = model.predict(collate(test).input());
            // README example to here
            int correct = 0;
            int containing = 0;
            for (int i = 0; i < test.size(); i++) {
                correct += predicted[i] == test.get(i).label() ? 1 : 0;
                containing += test.get(i).label();
            }
            int guessing = Math.max(containing, test.size() - containing); // always answering the commoner class
            assertTrue(correct >= 190 && correct > guessing, "accuracy " + correct + " of 200; guessing gets "
                    + guessing);
        }
    }
}
