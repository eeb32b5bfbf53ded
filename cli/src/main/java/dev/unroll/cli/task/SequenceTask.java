package dev.unroll.cli.task;

import dev.unroll.cli.UserError;
import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.Vocabulary;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.Trainable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the commands need to know about one kind of task: how to read its data, which vocabularies it
 * learns from the training examples, which model it trains, how examples become batches, and how a
 * trained model is measured. The vocabularies travel in the checkpoint's extras (see {@link CheckpointKeys}),
 * so {@code eval}, {@code generate} and {@code translate} encode text exactly as training did.
 *
 * @param <E> one example, e.g. a labeled text
 * @param <B> the model's batch type
 */
public abstract class SequenceTask<E, B> {
    protected final TokenLevel tokens;

    protected SequenceTask(TokenLevel tokens) {
        this.tokens = tokens;
    }

    public abstract TaskKind kind();

    public TokenLevel tokens() {
        return tokens;
    }

    /** Reads a data file in the task's format; malformed lines fail with {@code file:line}. */
    public abstract List<E> read(Path file);

    /** {@code count} examples of a built-in data set, drawn from {@code seed}. */
    public List<E> generate(BuiltinDataset dataset, int count, long seed) {
        throw new UserError(BuiltinDataset.PREFIX + dataset.id() + " is a data set for task " + dataset.task()
                + ", not " + kind().id());
    }

    /**
     * Learns the vocabularies from the data: tokens from the training examples only (so held-out text meets
     * the unknown token as new text will), labels and tags from both parts (a rare label that happens to land
     * only in the held-out part is still a label of the task).
     */
    public abstract void fit(List<E> training, List<E> heldOut);

    /** The model to train, shaped by the options and the fitted vocabularies. */
    public abstract ModelConfig modelConfig(ModelShape shape);

    /** Encodes and pads examples into one batch. */
    public abstract B collate(List<E> examples);

    /** Loss and the task's quality measures of {@code model} on {@code examples}. */
    public abstract Metrics evaluate(Trainable<B> model, List<E> examples, int batchSize);

    /**
     * The mean loss of {@code model} on {@code examples}, the cheap measure taken after every epoch; the same
     * number as {@link #evaluate}'s {@code loss}.
     */
    public double meanLoss(Trainable<B> model, List<E> examples, int batchSize) {
        WeightedMean loss = new WeightedMean();
        for (int from = 0; from < examples.size(); from += batchSize) {
            B batch = collate(examples.subList(from, Math.min(examples.size(), from + batchSize)));
            loss.add(model.loss(batch), lossTerms(batch));
        }
        return loss.mean();
    }

    /**
     * How many terms a batch's mean loss averages: one per example for sequence-level tasks, one per counted
     * (not padded) target for token-level ones. Means over several batches weight each batch by it, so they
     * equal the mean over all terms whatever the batch size.
     */
    protected abstract long lossTerms(B batch);

    /** The number of targets that count in a loss: those not marked as padding (negative). */
    protected static long countedTargets(int[] targets) {
        return Arrays.stream(targets).filter(t -> t >= 0).count();
    }

    /** Stores the fitted vocabularies. */
    public abstract void saveTo(Map<String, String> extras);

    /** Restores the vocabularies {@link #saveTo} stored. */
    public abstract void restoreFrom(Map<String, String> extras);

    /** The token ids of {@code text}, unknown tokens mapped to the unknown id; an empty text fails. */
    protected int[] encode(Vocabulary vocabulary, String text) {
        List<String> pieces = tokens.tokenize(text);
        if (pieces.isEmpty()) {
            throw new UserError("the text \"" + text + "\" has no " + tokens + " tokens");
        }
        return vocabulary.encode(pieces);
    }
}
