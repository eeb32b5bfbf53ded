package dev.unroll.training.model;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;

/** Builds the model a {@link ModelConfig} describes, e.g. when loading a checkpoint. */
public final class Models {
    private Models() {
    }

    /** A new model with zero parameters; initialize it or load values. */
    public static SequenceModel create(Backend backend, DType dtype, ModelConfig config) {
        if (config instanceof ClassifierConfig c) {
            return new SequenceClassifier(backend, dtype, c);
        } else if (config instanceof RegressorConfig c) {
            return new SequenceRegressor(backend, dtype, c);
        } else if (config instanceof TaggerConfig c) {
            return new SequenceTagger(backend, dtype, c);
        } else if (config instanceof LanguageModelConfig c) {
            return new LanguageModel(backend, dtype, c);
        } else if (config instanceof Seq2SeqConfig c) {
            return new Seq2Seq(backend, dtype, c);
        }
        throw new IllegalArgumentException("unknown model config " + config);
    }

    /** The config record class of a {@link ModelConfig#kind()}. */
    public static Class<? extends ModelConfig> configClass(String kind) {
        return switch (kind) {
            case "classifier" -> ClassifierConfig.class;
            case "regressor" -> RegressorConfig.class;
            case "tagger" -> TaggerConfig.class;
            case "language_model" -> LanguageModelConfig.class;
            case "seq2seq" -> Seq2SeqConfig.class;
            default -> throw new IllegalArgumentException("unknown model kind '" + kind
                    + "'; known: classifier, regressor, tagger, language_model, seq2seq");
        };
    }
}
