package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.training.nn.SeededRandom;
import java.util.Arrays;

/**
 * One-to-many generation: embedding, unidirectional recurrent stack and a head over the vocabulary, trained to
 * predict each next token (softmax cross-entropy averaged over the counted steps), stateful across batches that
 * {@link LanguageModelBatch#continuesPrevious() continue} the previous one (training and evaluation carry
 * separate states). {@link #sample} generates from a prompt or from nothing.
 */
public final class LanguageModel extends PerStepModel implements Trainable<LanguageModelBatch> {
    private final LanguageModelConfig config;

    /** Allocates the parameters (zero); call {@link #initialize} or load values. */
    public LanguageModel(Backend backend, DType dtype, LanguageModelConfig config) {
        super(backend, dtype, InputSpec.tokens(config.vocabularySize(), config.embeddingSize()), config.rnn(),
                config.vocabularySize());
        this.config = config;
    }

    @Override
    public LanguageModelConfig config() {
        return config;
    }

    @Override
    public double lossAndGradients(LanguageModelBatch batch, int backpropSteps) {
        return perStepLoss(batch.input(), batch.targets(), batch.continuesPrevious(), true, backpropSteps);
    }

    /** Mean loss in nats per predicted token; divide by {@code ln 2} for bits per token. */
    @Override
    public double loss(LanguageModelBatch batch) {
        return perStepLoss(batch.input(), batch.targets(), batch.continuesPrevious(), false, 0);
    }

    /**
     * Generates up to {@code maxTokens} tokens after {@code prompt}.
     *
     * @param prompt    the tokens to continue; empty to start from nothing (the config's {@code beginToken})
     * @param maxTokens how many tokens to generate at most
     * @param sampling  temperature, top-k and seed
     * @param stopToken generation ends after this token is drawn (it is included); -1 for none
     * @return the generated tokens, without the prompt
     */
    public int[] sample(int[] prompt, int maxTokens, Sampling sampling, int stopToken) {
        if (maxTokens < 0) { // before any work, and with a message instead of a NegativeArraySizeException
            throw new IllegalArgumentException("maxTokens must be >= 0, was " + maxTokens);
        }
        int[] context = prompt;
        if (context.length == 0) {
            if (config.beginToken() < 0) {
                throw new IllegalArgumentException("cannot generate from nothing: the language model has no"
                        + " beginToken; give a prompt");
            }
            context = new int[] {config.beginToken()};
        }
        SeededRandom random = new SeededRandom(sampling.seed());
        int[] out = new int[maxTokens];
        int produced = 0;
        try (CarriedState state = new CarriedState()) {
            double[] logits = advance(state, context, false);
            while (produced < maxTokens) {
                int next = sampling.draw(logits, random);
                out[produced++] = next;
                if (next == stopToken) {
                    break;
                }
                logits = advance(state, new int[] {next}, true);
            }
        }
        return Arrays.copyOf(out, produced);
    }

    /** Feeds {@code tokens} to one sequence from {@code state}; returns the logits after the last token. */
    private double[] advance(CarriedState state, int[] tokens, boolean continues) {
        TokenSequences in = new TokenSequences(tokens, new int[] {tokens.length}, tokens.length, 1);
        try (SequenceEncoder.Pass pass = encoder.forward(in, state.hidden(continues, 1), state.cell(continues, 1),
                false);
             Tensor last = backend.viewRows(pass.output(), tokens.length - 1, 1)) {
            state.keep(pass);
            return HeadLosses.outputs(head, last);
        }
    }
}
