package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradient;
import dev.unroll.cells.InputGradients;
import dev.unroll.training.nn.Dense;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Many-to-many encoder-decoder (Sutskever et al. 2014, without attention): the encoder reads the source and its
 * final states start the decoder, which is trained with teacher forcing (it reads the true previous target
 * token) and decodes greedily or by beam search. Parameters: {@code encoder.embedding.weight},
 * {@code encoder.rnn.*}, {@code decoder.embedding.weight}, {@code decoder.rnn.*}, {@code decoder.head.*}.
 */
public final class Seq2Seq implements Trainable<TranslationBatch> {
    private final Backend backend;
    private final DType dtype;
    private final Seq2SeqConfig config;
    private final SequenceEncoder encoder;
    private final SequenceEncoder decoder;
    private final Dense head;
    private final List<NamedParameter> parameters = new ArrayList<>();

    /** Allocates the parameters (zero); call {@link #initialize} or load values. */
    public Seq2Seq(Backend backend, DType dtype, Seq2SeqConfig config) {
        this.backend = backend;
        this.dtype = dtype;
        this.config = config;
        SequenceEncoder madeEncoder = new SequenceEncoder(backend, dtype, "encoder.",
                InputSpec.tokens(config.sourceVocabulary(), config.embeddingSize()), config.rnn());
        SequenceEncoder madeDecoder = null;
        try {
            madeDecoder = new SequenceEncoder(backend, dtype, "decoder.",
                    InputSpec.tokens(config.targetVocabulary(), config.embeddingSize()), config.decoderRnn());
            this.head = new Dense(backend, dtype, "decoder.head", config.rnn().hiddenSize(),
                    config.targetVocabulary());
        } catch (RuntimeException | Error e) { // the caller never gets the model, so nobody else could free these
            if (madeDecoder != null) {
                madeDecoder.close();
            }
            madeEncoder.close();
            throw e;
        }
        this.encoder = madeEncoder;
        this.decoder = madeDecoder;
        parameters.addAll(encoder.parameters());
        parameters.addAll(decoder.parameters());
        parameters.addAll(head.parameters());
    }

    @Override
    public Seq2SeqConfig config() {
        return config;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public List<NamedParameter> parameters() {
        return parameters;
    }

    @Override
    public void initialize(long seed) {
        SeededRandom random = new SeededRandom(seed);
        encoder.initialize(random);
        decoder.initialize(random);
        head.initialize(random);
    }

    /** Both stacks run one training pass per batch, so one count describes both. */
    @Override
    public long trainingPasses() {
        return encoder.trainingPasses();
    }

    @Override
    public void restoreTrainingPasses(long passes) {
        encoder.restoreTrainingPasses(passes);
        decoder.restoreTrainingPasses(passes);
    }

    /**
     * Teacher-forced loss and full BPTT through decoder and encoder ({@code backpropSteps} is ignored: the
     * gradient must reach the encoder through the decoder's initial state).
     */
    @Override
    public double lossAndGradients(TranslationBatch batch, int backpropSteps) {
        TokenSequences target = batch.decoderInput();
        try (SequenceEncoder.Pass source = encoder.forward(batch.source(), null, null, true);
             SequenceEncoder.Pass decoded = decoder.forward(target, source.finalHidden(), source.finalCell(), true);
             Tensor dy = backend.allocate(dtype, target.steps(), target.batch(), config.rnn().hiddenSize())) {
            double loss = HeadLosses.crossEntropy(head, decoded.output(), batch.decoderTargets(), dy);
            try (InputGradients decoderGrads = decoded.backward(dy, null, null, ALL_STEPS, InputGradient.SKIP)) {
                source.backward(null, decoderGrads.dh0(), decoderGrads.dc0(), ALL_STEPS, InputGradient.SKIP).close();
            }
            return loss;
        }
    }

    @Override
    public double loss(TranslationBatch batch) {
        try (SequenceEncoder.Pass source = encoder.forward(batch.source(), null, null, false);
             SequenceEncoder.Pass decoded = decoder.forward(batch.decoderInput(), source.finalHidden(),
                     source.finalCell(), false)) {
            return HeadLosses.crossEntropy(head, decoded.output(), batch.decoderTargets(), null);
        }
    }

    /**
     * {@code log p(target, end | source)} under teacher forcing: the score beam search maximizes.
     *
     * @param target the target tokens without begin and end tokens
     */
    public double logProbability(int[] source, int[] target) {
        TranslationBatch batch = TranslationBatch.of(List.of(source), List.of(target), config.beginToken(),
                config.endToken());
        return -loss(batch) * (target.length + 1);
    }

    /** The most likely next token at every step, until the end token or {@code maxLength} tokens (beam width 1). */
    public int[] translateGreedy(int[] source, int maxLength) {
        return translateBeam(source, 1, maxLength).tokens();
    }

    /**
     * A translation (without begin and end tokens) and its log-probability, the end token's included.
     */
    public record Hypothesis(int[] tokens, double logProbability) {
    }

    /**
     * Beam search for the most likely translation: {@link #translateBeam(int[], int, int, double)} without length
     * normalisation.
     */
    public Hypothesis translateBeam(int[] source, int beamWidth, int maxLength) {
        return translateBeam(source, beamWidth, maxLength, 0);
    }

    /**
     * Beam search: at every step all one-token extensions of the live prefixes (the end token included) compete
     * on their log-probability, and the {@code beamWidth} best survive; those ending in the end token are
     * finished, and the finished translation with the best {@code logProbability / n^lengthPenalty} wins, {@code n}
     * its token count with the end token (the length normalisation of Hugging Face's {@code length_penalty}).
     * With {@code lengthPenalty} 0 that is the most likely translation; a weakly trained model's most likely one
     * is often short or empty, since every token multiplies the probability by less than one, and a penalty of
     * about 1 compares translations per token instead. Stops when no live prefix can beat the best finished
     * translation (log-probabilities only fall as a prefix grows, so a prefix's normalised score is at most its
     * log-probability over the longest length's {@code n^lengthPenalty}) or when the prefixes reach
     * {@code maxLength} tokens, where only the end token may follow. Width 1 is greedy decoding; a width at least
     * the number of candidates is exhaustive search.
     *
     * @param lengthPenalty the exponent {@code alpha >= 0} of the length normalisation; 0 for none
     * @return the best translation found, without begin and end tokens, with its (unnormalised) log-probability
     */
    public Hypothesis translateBeam(int[] source, int beamWidth, int maxLength, double lengthPenalty) {
        if (source.length == 0) { // the encoder needs at least one step; say so in the caller's terms
            throw new IllegalArgumentException("cannot translate an empty source: give at least one token");
        }
        if (beamWidth < 1 || maxLength < 0) {
            throw new IllegalArgumentException("beamWidth must be >= 1 and maxLength >= 0, were " + beamWidth
                    + " and " + maxLength);
        }
        if (!(lengthPenalty >= 0 && lengthPenalty < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("lengthPenalty must be finite and >= 0, was " + lengthPenalty);
        }
        // the largest n^alpha a finished translation can divide by: the bound for pruning live prefixes
        double longest = Math.pow(maxLength + 1, lengthPenalty);
        List<Beam> live = List.of(new Beam(new int[0], 0.0, 0));
        Hypothesis best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        try (DecoderStates states = encode(source)) {
            while (!live.isEmpty()) {
                int[] lastTokens = live.stream()
                        .mapToInt(b -> b.tokens.length == 0 ? config.beginToken() : b.tokens[b.tokens.length - 1])
                        .toArray();
                double[][] logProbs = states.step(lastTokens, live.stream().mapToInt(Beam::parentRow).toArray());
                List<Beam> candidates = new ArrayList<>();
                for (int i = 0; i < live.size(); i++) {
                    Beam beam = live.get(i);
                    boolean full = beam.tokens.length >= maxLength;
                    for (int token = 0; token < logProbs[i].length; token++) {
                        if (!full || token == config.endToken()) {
                            candidates.add(beam.extend(token, beam.score + logProbs[i][token], i));
                        }
                    }
                }
                // stable order: ties keep the order of beams and tokens, so decoding is deterministic
                candidates.sort((a, b) -> Double.compare(b.score, a.score));
                List<Beam> next = new ArrayList<>();
                for (Beam c : candidates.subList(0, Math.min(beamWidth, candidates.size()))) {
                    if (c.lastToken() == config.endToken()) {
                        double score = c.score / Math.pow(c.tokens.length, lengthPenalty);
                        if (best == null || score > bestScore) {
                            best = new Hypothesis(Arrays.copyOf(c.tokens, c.tokens.length - 1), c.score);
                            bestScore = score;
                        }
                    } else {
                        next.add(c);
                    }
                }
                double bestFinished = bestScore;
                live = next.stream().filter(b -> b.score / longest > bestFinished).toList();
            }
        }
        return best;
    }

    /** The decoder's running states, one row per beam, starting from the encoded source. */
    private final class DecoderStates implements AutoCloseable {
        private final CarriedState state = new CarriedState();

        /**
         * Log-probabilities of the next token for each beam, after feeding beam {@code b} its last token from
         * the state of its parent, row {@code parentRows[b]} of the previous step.
         */
        double[][] step(int[] tokens, int[] parentRows) {
            state.reorderBatch(parentRows);
            int beams = tokens.length;
            int[] lengths = new int[beams];
            Arrays.fill(lengths, 1);
            TokenSequences in = new TokenSequences(tokens, lengths, 1, beams);
            try (SequenceEncoder.Pass pass = decoder.forward(in, state.hidden(true, beams), state.cell(true, beams),
                    false)) {
                state.keep(pass);
                double[] logits = HeadLosses.outputs(head, pass.output());
                int v = config.targetVocabulary();
                double[][] out = new double[beams][];
                for (int b = 0; b < beams; b++) {
                    out[b] = Sampling.logSoftmax(Arrays.copyOfRange(logits, b * v, (b + 1) * v));
                }
                return out;
            }
        }

        @Override
        public void close() {
            state.close();
        }
    }

    private DecoderStates encode(int[] source) {
        DecoderStates states = new DecoderStates();
        TokenSequences in = new TokenSequences(source, new int[] {source.length}, source.length, 1);
        try (SequenceEncoder.Pass pass = encoder.forward(in, null, null, false)) {
            states.state.keep(pass);
        }
        return states;
    }

    /** A prefix under construction: its tokens, log-probability, and the state row of the beam it grew from. */
    private record Beam(int[] tokens, double score, int parentRow) {
        int lastToken() {
            return tokens[tokens.length - 1];
        }

        Beam extend(int token, double newScore, int fromRow) {
            int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
            longer[tokens.length] = token;
            return new Beam(longer, newScore, fromRow);
        }
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
        head.close();
    }
}
