package dev.unroll.cli.task;

import dev.unroll.cli.UserError;
import dev.unroll.training.data.TaggedSentence;
import dev.unroll.training.data.TaggingReader;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.Vocabulary;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.SequenceTagger;
import dev.unroll.training.model.TaggerConfig;
import dev.unroll.training.model.TaggingBatch;
import dev.unroll.training.model.TokenSequences;
import dev.unroll.training.model.Trainable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sequence tagging: CoNLL sentences, a {@link SequenceTagger}, accuracy per step (token) and per sentence.
 * The tokens are the file's first column as they are: the token level does not apply.
 */
final class TagTask extends SequenceTask<TaggedSentence, TaggingBatch> {
    private Vocabulary vocabulary;
    private List<String> tags;

    TagTask(TokenLevel tokens) {
        super(tokens);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.TAG;
    }

    @Override
    public List<TaggedSentence> read(Path file) {
        return TaggingReader.read(file);
    }

    @Override
    public void fit(List<TaggedSentence> training, List<TaggedSentence> heldOut) {
        vocabulary = Vocabulary.build(training.stream().map(TaggedSentence::tokens).toList());
        TreeSet<String> names = new TreeSet<>();
        training.forEach(s -> names.addAll(s.tags()));
        heldOut.forEach(s -> names.addAll(s.tags()));
        tags = List.copyOf(names);
    }

    @Override
    public ModelConfig modelConfig(ModelShape shape) {
        return new TaggerConfig(InputSpec.tokens(vocabulary.size(), shape.embed()), shape.rnn(shape.embed()),
                tags.size());
    }

    @Override
    public TaggingBatch collate(List<TaggedSentence> sentences) {
        List<int[]> inputs = new ArrayList<>();
        List<int[]> tagIds = new ArrayList<>();
        for (TaggedSentence sentence : sentences) {
            inputs.add(vocabulary.encode(sentence.tokens()));
            int[] ids = new int[sentence.length()];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = tagId(sentence.tags().get(t));
            }
            tagIds.add(ids);
        }
        return TaggingBatch.of(TokenSequences.pad(inputs), tagIds);
    }

    private int tagId(String tag) {
        int id = tags.indexOf(tag);
        if (id < 0) {
            throw new UserError("the tag '" + tag + "' was not seen in training; the model knows " + tags);
        }
        return id;
    }

    @Override
    protected long lossTerms(TaggingBatch batch) {
        return countedTargets(batch.tags());
    }

    @Override
    public Metrics evaluate(Trainable<TaggingBatch> model, List<TaggedSentence> sentences, int batchSize) {
        SequenceTagger tagger = (SequenceTagger) model;
        WeightedMean loss = new WeightedMean();
        long steps = 0;
        long correctSteps = 0;
        int correctSentences = 0;
        for (int from = 0; from < sentences.size(); from += batchSize) {
            List<TaggedSentence> part = sentences.subList(from, Math.min(sentences.size(), from + batchSize));
            TaggingBatch batch = collate(part);
            loss.add(tagger.loss(batch), lossTerms(batch));
            int[][] predicted = tagger.predict(batch.input());
            for (int b = 0; b < predicted.length; b++) {
                boolean allRight = true;
                for (int t = 0; t < predicted[b].length; t++) {
                    boolean right = predicted[b][t] == batch.tags()[t * part.size() + b];
                    correctSteps += right ? 1 : 0;
                    allRight &= right;
                }
                steps += predicted[b].length;
                correctSentences += allRight ? 1 : 0;
            }
        }
        return new Metrics()
                .put("stepAccuracy", (double) correctSteps / steps)
                .put("sentenceAccuracy", (double) correctSentences / sentences.size())
                .put("loss", loss.mean());
    }

    @Override
    public void saveTo(Map<String, String> extras) {
        CheckpointKeys.putList(extras, CheckpointKeys.VOCABULARY, vocabulary.tokens());
        CheckpointKeys.putList(extras, CheckpointKeys.LABELS, tags);
    }

    @Override
    public void restoreFrom(Map<String, String> extras) {
        vocabulary = CheckpointKeys.getVocabulary(extras, CheckpointKeys.VOCABULARY);
        tags = CheckpointKeys.getList(extras, CheckpointKeys.LABELS);
    }
}
