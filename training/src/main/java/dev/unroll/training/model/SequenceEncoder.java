package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.InputGradient;
import dev.unroll.cells.InputGradients;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.training.nn.Embedding;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.ParameterOwner;
import dev.unroll.training.nn.SeededRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The part every sequence model shares: an input layer (an embedding named {@code prefix + "embedding"}, or
 * dense features read as they are) feeding a {@link RecurrentStack} named {@code prefix + "rnn"}.
 */
public final class SequenceEncoder implements ParameterOwner, AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final InputSpec input;
    private final Embedding embedding;
    private final RecurrentStack stack;
    private final List<NamedParameter> parameters = new ArrayList<>();
    private long trainingPasses;

    /**
     * @param prefix the module path, {@code ""} for a top-level encoder or e.g. {@code "decoder."}
     */
    public SequenceEncoder(Backend backend, DType dtype, String prefix, InputSpec input, RecurrentConfig rnn) {
        ModelConfig.requireInputWidth(prefix + "rnn", input.width(), rnn);
        this.backend = backend;
        this.dtype = dtype;
        this.input = input;
        this.embedding = input.usesTokens()
                ? new Embedding(backend, dtype, prefix + "embedding", input.vocabularySize(), input.embeddingSize())
                : null;
        try {
            this.stack = new RecurrentStack(backend, dtype, rnn);
        } catch (RuntimeException | Error e) { // the stack freed its own tensors; the embedding is ours to free
            if (embedding != null) {
                embedding.close();
            }
            throw e;
        }
        if (embedding != null) {
            parameters.addAll(embedding.parameters());
        }
        stack.parameters().forEach(p -> parameters.add(NamedParameter.of(prefix + "rnn", p)));
    }

    public RecurrentConfig rnn() {
        return stack.config();
    }

    public RecurrentStack stack() {
        return stack;
    }

    /** The embedding first (PyTorch's normal), then the stack from a seed drawn from {@code random}. */
    public void initialize(SeededRandom random) {
        if (embedding != null) {
            embedding.initialize(random);
        }
        stack.initialize(random.nextLong());
    }

    long trainingPasses() {
        return trainingPasses;
    }

    void restoreTrainingPasses(long passes) {
        trainingPasses = passes;
    }

    /**
     * Runs the input layer and the stack.
     *
     * @param in       tokens (with an embedding) or features {@code [T, B, F]}
     * @param h0       {@code [L*D, B, H]} initial hidden state, or null
     * @param c0       {@code [L*D, B, H]} initial LSTM cell state, or null
     * @param training whether dropout applies
     */
    public Pass forward(SequenceInput in, Tensor h0, Tensor c0, boolean training) {
        Tensor x = embed(in);
        try {
            if (training) {
                // Dropout masks follow this count, which a checkpoint restores (see SequenceModel#trainingPasses).
                stack.setDropoutCall(trainingPasses++);
            }
            RecurrentPass pass = stack.forward(x, h0, c0, in.lengths(), training);
            return new Pass(in, x, pass);
        } catch (RuntimeException | Error e) {
            x.close();
            throw e;
        }
    }

    private Tensor embed(SequenceInput in) {
        if (in instanceof TokenSequences tokens) {
            if (embedding == null) {
                throw new IllegalArgumentException("this model reads " + input.featureSize()
                        + " dense features per step, not token ids");
            }
            Tensor x = backend.allocate(dtype, tokens.steps(), tokens.batch(), input.embeddingSize());
            try {
                embedding.forward(tokens.ids(), x); // throws for an id outside the vocabulary
            } catch (RuntimeException | Error e) {
                x.close();
                throw e;
            }
            return x;
        }
        FeatureSequences features = (FeatureSequences) in;
        if (embedding != null || features.features() != input.featureSize()) {
            throw new IllegalArgumentException("this model reads " + (embedding != null ? "token ids"
                    : input.featureSize() + " features per step") + ", got " + features.features()
                    + " features per step");
        }
        return backend.upload(dtype, features.values(), features.steps(), features.batch(), features.features());
    }

    @Override
    public List<NamedParameter> parameters() {
        return parameters;
    }

    @Override
    public void close() {
        if (embedding != null) {
            embedding.close();
        }
        stack.close();
    }

    /** One forward pass: the stack's outputs and what backward needs. Close it when done. */
    public final class Pass implements AutoCloseable {
        private final SequenceInput in;
        private final Tensor x;
        private final RecurrentPass pass;

        private Pass(SequenceInput in, Tensor x, RecurrentPass pass) {
            this.in = in;
            this.x = x;
            this.pass = pass;
        }

        /** {@code [T, B, D*H]}, zero past each sequence's length. */
        public Tensor output() {
            return pass.output();
        }

        /** {@code [L*D, B, H]}, each sequence's state after its own last step. */
        public Tensor finalHidden() {
            return pass.finalHidden();
        }

        /** {@code [L*D, B, H]} for LSTM, else null. */
        public Tensor finalCell() {
            return pass.finalCell();
        }

        public SequenceInput input() {
            return in;
        }

        /**
         * Back-propagates through the stack and the embedding, accumulating their parameter gradients.
         *
         * @param dy            {@code [T, B, D*H]} or null
         * @param dhN           {@code [L*D, B, H]} or null
         * @param dcN           {@code [L*D, B, H]} or null
         * @param backpropSteps the last steps to back-propagate through ({@link Trainable#ALL_STEPS} for all)
         * @return the gradients of the input and of the initial states; the caller closes them
         */
        public InputGradients backward(Tensor dy, Tensor dhN, Tensor dcN, int backpropSteps) {
            return backward(dy, dhN, dcN, backpropSteps, InputGradient.COMPUTE);
        }

        /**
         * As {@link #backward(Tensor, Tensor, Tensor, int)}, returning dL/dx only if {@code forCaller} asks for it
         * (an embedding receives its gradient either way); skipping it saves a GEMM over all steps.
         */
        public InputGradients backward(Tensor dy, Tensor dhN, Tensor dcN, int backpropSteps, InputGradient forCaller) {
            InputGradient needed = embedding != null ? InputGradient.COMPUTE : forCaller;
            InputGradients grads = stack.backward(pass, dy, dhN, dcN, backpropSteps, needed);
            if (embedding != null) {
                // dx is zero past each sequence's length, so padding ids receive nothing.
                embedding.backward(((TokenSequences) in).ids(), grads.dx());
            }
            return grads;
        }

        @Override
        public void close() {
            pass.close();
            x.close();
        }
    }
}
