package dev.unroll.cli.task;

import dev.unroll.cli.UserError;
import dev.unroll.training.data.ClassificationReader;
import dev.unroll.training.data.LabeledText;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.Vocabulary;
import dev.unroll.training.model.ClassificationBatch;
import dev.unroll.training.model.ClassifierConfig;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.SequenceClassifier;
import dev.unroll.training.model.TokenSequences;
import dev.unroll.training.model.Trainable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Text classification: {@code label<TAB>text} lines, a {@link SequenceClassifier}, accuracy. */
final class ClassifyTask extends SequenceTask<LabeledText, ClassificationBatch> {
    private Vocabulary vocabulary;
    private List<String> labels;

    ClassifyTask(TokenLevel tokens) {
        super(tokens);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.CLASSIFY;
    }

    @Override
    public List<LabeledText> read(Path file) {
        return ClassificationReader.read(file);
    }

    @Override
    public void fit(List<LabeledText> training, List<LabeledText> heldOut) {
        vocabulary = Vocabulary.build(training.stream().map(e -> tokens.tokenize(e.text())).toList());
        TreeSet<String> names = new TreeSet<>();
        training.forEach(e -> names.add(e.label()));
        heldOut.forEach(e -> names.add(e.label()));
        labels = List.copyOf(names);
        if (labels.size() < 2) {
            throw new UserError("a classifier needs at least 2 labels; the training data has only " + labels);
        }
    }

    @Override
    public ModelConfig modelConfig(ModelShape shape) {
        return new ClassifierConfig(InputSpec.tokens(vocabulary.size(), shape.embed()), shape.rnn(shape.embed()),
                labels.size());
    }

    @Override
    public ClassificationBatch collate(List<LabeledText> examples) {
        List<int[]> sequences = new ArrayList<>();
        int[] ids = new int[examples.size()];
        for (int i = 0; i < ids.length; i++) {
            sequences.add(encode(vocabulary, examples.get(i).text()));
            ids[i] = labelId(examples.get(i).label());
        }
        return new ClassificationBatch(TokenSequences.pad(sequences), ids);
    }

    private int labelId(String label) {
        int id = labels.indexOf(label);
        if (id < 0) {
            throw new UserError("the label '" + label + "' was not seen in training; the model knows " + labels);
        }
        return id;
    }

    @Override
    protected long lossTerms(ClassificationBatch batch) {
        return batch.labels().length;
    }

    @Override
    public Metrics evaluate(Trainable<ClassificationBatch> model, List<LabeledText> examples, int batchSize) {
        SequenceClassifier classifier = (SequenceClassifier) model;
        WeightedMean loss = new WeightedMean();
        int correct = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            ClassificationBatch batch = collate(examples.subList(from, Math.min(examples.size(), from + batchSize)));
            loss.add(classifier.loss(batch), lossTerms(batch));
            int[] predicted = classifier.predict(batch.input());
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == batch.labels()[i] ? 1 : 0;
            }
        }
        return new Metrics().put("accuracy", (double) correct / examples.size()).put("loss", loss.mean());
    }

    @Override
    public void saveTo(Map<String, String> extras) {
        CheckpointKeys.putList(extras, CheckpointKeys.VOCABULARY, vocabulary.tokens());
        CheckpointKeys.putList(extras, CheckpointKeys.LABELS, labels);
    }

    @Override
    public void restoreFrom(Map<String, String> extras) {
        vocabulary = CheckpointKeys.getVocabulary(extras, CheckpointKeys.VOCABULARY);
        labels = CheckpointKeys.getList(extras, CheckpointKeys.LABELS);
    }
}
