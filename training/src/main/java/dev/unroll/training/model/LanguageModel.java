package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradient;
import dev.unroll.training.nn.SeededRandom;
import java.util.Arrays;

/**
 * One-to-many generation: embedding, unidirectional recurrent stack and a head over the vocabulary, trained to
 * predict each next token (softmax cross-entropy averaged over the counted steps), stateful across batches that
 * {@link LanguageModelBatch#continuesPrevious() continue} the previous one. {@link #sample} generates from a
 * prompt or from nothing.
 */
public final class LanguageModel extends EncoderHeadModel implements Trainable<LanguageModelBatch> {
    private final LanguageModelConfig config;
    private final CarriedState carried = new CarriedState();

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
        return run(batch, true, backpropSteps);
    }

    /** Mean loss in nats per predicted token; divide by {@code ln 2} for bits per token. */
    @Override
    public double loss(LanguageModelBatch batch) {
        return run(batch, false, 0);
    }

    private double run(LanguageModelBatch batch, boolean train, int backpropSteps) {
        TokenSequences in = batch.input();
        boolean continues = batch.continuesPrevious();
        try (SequenceEncoder.Pass pass = encoder.forward(in, carried.hidden(continues, in.batch()),
                carried.cell(continues, in.batch()), train)) {
            carried.keep(pass);
            if (!train) {
                return HeadLosses.crossEntropy(head, pass.output(), batch.targets(), null);
            }
            try (Tensor dy = backend.allocate(dtype, in.steps(), in.batch(), config.rnn().outputSize())) {
                double loss = HeadLosses.crossEntropy(head, pass.output(), batch.targets(), dy);
                pass.backward(dy, null, null, backpropSteps, InputGradient.SKIP).close();
                return loss;
            }
        }
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

    @Override
    public void resetState() {
        carried.close();
    }

    @Override
    public void close() {
        carried.close();
        super.close();
    }
}
