package dev.unroll.cli.task;

import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.HumanDates;
import dev.unroll.training.data.ParallelTextReader;
import dev.unroll.training.data.TextPair;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.Vocabulary;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.Seq2Seq;
import dev.unroll.training.model.Seq2SeqConfig;
import dev.unroll.training.model.TranslationBatch;
import dev.unroll.training.model.Trainable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Sequence to sequence: {@code source<TAB>target} lines, a {@link Seq2Seq} encoder-decoder with separate
 * source and target vocabularies, measured by exact match of greedy translations.
 */
public final class Seq2SeqTask extends SequenceTask<TextPair, TranslationBatch> {
    /** Translations stop after this many target tokens more than the longest training target. */
    private static final int LENGTH_SLACK = 10;

    private Vocabulary source;
    private Vocabulary target;
    private int maxTargetLength;

    Seq2SeqTask(TokenLevel tokens) {
        super(tokens);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.SEQ2SEQ;
    }

    @Override
    public List<TextPair> read(Path file) {
        return ParallelTextReader.read(file);
    }

    @Override
    public List<TextPair> generate(BuiltinDataset dataset, int count, long seed) {
        return dataset == BuiltinDataset.DATES ? HumanDates.generate(count, new Random(seed))
                : super.generate(dataset, count, seed);
    }

    @Override
    public void fit(List<TextPair> training, List<TextPair> heldOut) {
        source = Vocabulary.build(training.stream().map(p -> tokens.tokenize(p.source())).toList());
        target = Vocabulary.build(List.of(Vocabulary.BEGIN, Vocabulary.END),
                training.stream().map(p -> tokens.tokenize(p.target())).toList());
        maxTargetLength = training.stream().mapToInt(p -> tokens.tokenize(p.target()).size()).max().orElse(1);
    }

    @Override
    public ModelConfig modelConfig(ModelShape shape) {
        if (shape.bidirectional()) {
            throw new IllegalArgumentException("the seq2seq encoder must be unidirectional (its final state starts"
                    + " the decoder): drop --bidirectional");
        }
        return new Seq2SeqConfig(source.size(), target.size(), shape.embed(), shape.rnn(shape.embed()),
                target.id(Vocabulary.BEGIN), target.id(Vocabulary.END));
    }

    @Override
    public TranslationBatch collate(List<TextPair> pairs) {
        List<int[]> sources = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (TextPair pair : pairs) {
            sources.add(encode(source, pair.source()));
            targets.add(encode(target, pair.target()));
        }
        return TranslationBatch.of(sources, targets, target.id(Vocabulary.BEGIN), target.id(Vocabulary.END));
    }

    @Override
    protected long lossTerms(TranslationBatch batch) {
        return countedTargets(batch.decoderTargets());
    }

    @Override
    public Metrics evaluate(Trainable<TranslationBatch> model, List<TextPair> pairs, int batchSize) {
        Seq2Seq seq2seq = (Seq2Seq) model;
        WeightedMean loss = new WeightedMean();
        for (int from = 0; from < pairs.size(); from += batchSize) {
            TranslationBatch batch = collate(pairs.subList(from, Math.min(pairs.size(), from + batchSize)));
            loss.add(seq2seq.loss(batch), lossTerms(batch));
        }
        int exact = 0;
        for (TextPair pair : pairs) {
            exact += translate(seq2seq, pair.source(), 1).equals(tokens.join(tokens.tokenize(pair.target()))) ? 1 : 0;
        }
        return new Metrics().put("exactMatch", (double) exact / pairs.size()).put("loss", loss.mean());
    }

    /** The translation of {@code text}: greedy with {@code beamWidth} 1, else beam search, without normalisation. */
    public String translate(Seq2Seq model, String text, int beamWidth) {
        return translate(model, text, beamWidth, 0);
    }

    /**
     * The translation of {@code text}: greedy with {@code beamWidth} 1, else beam search ranking finished
     * translations by log-probability over {@code length^lengthPenalty} ({@link Seq2Seq#translateBeam}).
     */
    public String translate(Seq2Seq model, String text, int beamWidth, double lengthPenalty) {
        int[] ids = model.translateBeam(encode(source, text), beamWidth, maxTargetLength + LENGTH_SLACK,
                lengthPenalty).tokens();
        return tokens.join(target.decode(ids));
    }

    @Override
    public void saveTo(Map<String, String> extras) {
        CheckpointKeys.putList(extras, CheckpointKeys.VOCABULARY, source.tokens());
        CheckpointKeys.putList(extras, CheckpointKeys.TARGET_VOCABULARY, target.tokens());
        extras.put(CheckpointKeys.MAX_TARGET_LENGTH, Integer.toString(maxTargetLength));
    }

    @Override
    public void restoreFrom(Map<String, String> extras) {
        source = CheckpointKeys.getVocabulary(extras, CheckpointKeys.VOCABULARY);
        target = CheckpointKeys.getVocabulary(extras, CheckpointKeys.TARGET_VOCABULARY);
        maxTargetLength = Integer.parseInt(CheckpointKeys.require(extras, CheckpointKeys.MAX_TARGET_LENGTH));
    }
}
