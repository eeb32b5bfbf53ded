package dev.unroll.cli.task;

import dev.unroll.training.data.BuiltinDataset;
import dev.unroll.training.data.ReberGrammar;
import dev.unroll.training.data.TextCorpusReader;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.Vocabulary;
import dev.unroll.training.model.LanguageModel;
import dev.unroll.training.model.LanguageModelBatch;
import dev.unroll.training.model.LanguageModelConfig;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.Sampling;
import dev.unroll.training.model.Trainable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Language modelling: every non-blank line of a UTF-8 text is one sequence {@code <bos> tokens <eos>}, so a
 * trained model generates "from nothing" (from {@code <bos>}) and knows where a sequence ends. Measured in
 * bits per token (bits per character at the default character level).
 */
public final class LanguageModelTask extends SequenceTask<String, LanguageModelBatch> {
    private Vocabulary vocabulary;

    LanguageModelTask(TokenLevel tokens) {
        super(tokens);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.LM;
    }

    @Override
    public List<String> read(Path file) {
        return TextCorpusReader.readLines(file);
    }

    @Override
    public List<String> generate(BuiltinDataset dataset, int count, long seed) {
        if (dataset != BuiltinDataset.REBER) {
            return super.generate(dataset, count, seed);
        }
        Random random = new Random(seed);
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(ReberGrammar.generateEmbedded(random));
        }
        return strings;
    }

    @Override
    public void fit(List<String> training, List<String> heldOut) {
        vocabulary = Vocabulary.build(List.of(Vocabulary.BEGIN, Vocabulary.END),
                training.stream().map(tokens::tokenize).toList());
    }

    @Override
    public ModelConfig modelConfig(ModelShape shape) {
        if (shape.bidirectional()) {
            throw new IllegalArgumentException("a language model must be unidirectional: drop --bidirectional");
        }
        return new LanguageModelConfig(vocabulary.size(), shape.embed(), shape.rnn(shape.embed()),
                vocabulary.id(Vocabulary.BEGIN));
    }

    @Override
    public LanguageModelBatch collate(List<String> lines) {
        List<int[]> sequences = new ArrayList<>();
        for (String line : lines) {
            sequences.add(withBoundaries(encode(vocabulary, line)));
        }
        return LanguageModelBatch.fromSequences(sequences);
    }

    private int[] withBoundaries(int[] ids) {
        int[] out = new int[ids.length + 2];
        out[0] = vocabulary.id(Vocabulary.BEGIN);
        System.arraycopy(ids, 0, out, 1, ids.length);
        out[out.length - 1] = vocabulary.id(Vocabulary.END);
        return out;
    }

    @Override
    protected long lossTerms(LanguageModelBatch batch) {
        return countedTargets(batch.targets());
    }

    @Override
    public Metrics evaluate(Trainable<LanguageModelBatch> model, List<String> lines, int batchSize) {
        double nats = meanLoss(model, lines, batchSize);
        return new Metrics()
                .put("loss", nats)
                .put(tokens == TokenLevel.CHAR ? "bitsPerCharacter" : "bitsPerWord", nats / Math.log(2))
                .put("perplexity", Math.exp(nats));
    }

    /**
     * Up to {@code maxTokens} tokens continuing {@code prime} (which may be empty), stopping at the end token;
     * the text returned includes the prime.
     */
    public String generate(LanguageModel model, String prime, int maxTokens, Sampling sampling) {
        List<String> primeTokens = tokens.tokenize(prime);
        int[] prompt = new int[primeTokens.size() + 1];
        prompt[0] = vocabulary.id(Vocabulary.BEGIN);
        System.arraycopy(vocabulary.encode(primeTokens), 0, prompt, 1, primeTokens.size());
        int end = vocabulary.id(Vocabulary.END);
        int begin = vocabulary.id(Vocabulary.BEGIN);
        int[] generated = model.sample(prompt, maxTokens, sampling, end);
        List<String> out = new ArrayList<>(primeTokens);
        for (int id : generated) {
            // Padding, unknown and begin tokens are never training targets, so a trained model all but never
            // draws them; an untrained one may, and they stand for no text.
            if (id != end && id != begin && id != Vocabulary.PAD_ID && id != Vocabulary.UNKNOWN_ID) {
                out.add(vocabulary.token(id));
            }
        }
        return tokens.join(out);
    }

    @Override
    public void saveTo(Map<String, String> extras) {
        CheckpointKeys.putList(extras, CheckpointKeys.VOCABULARY, vocabulary.tokens());
    }

    @Override
    public void restoreFrom(Map<String, String> extras) {
        vocabulary = CheckpointKeys.getVocabulary(extras, CheckpointKeys.VOCABULARY);
    }
}
