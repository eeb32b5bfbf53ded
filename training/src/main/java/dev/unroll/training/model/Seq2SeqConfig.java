package dev.unroll.training.model;

import dev.unroll.cells.RecurrentConfig;

/**
 * A {@link Seq2Seq} encoder-decoder: the encoder's final states start the decoder (no attention).
 *
 * @param sourceVocabulary source ids in {@code [0, sourceVocabulary)}
 * @param targetVocabulary target ids in {@code [0, targetVocabulary)}, including {@code beginToken} and
 *                         {@code endToken}
 * @param embeddingSize    width of both embeddings
 * @param rnn              the encoder's stack; the decoder has the same cell, layers and hidden size
 *                         (unidirectional: the decoder's initial state is the encoder's final state)
 * @param beginToken       target id fed to the decoder first
 * @param endToken         target id that ends a translation
 */
public record Seq2SeqConfig(int sourceVocabulary, int targetVocabulary, int embeddingSize, RecurrentConfig rnn,
                            int beginToken, int endToken) implements ModelConfig {
    public Seq2SeqConfig {
        ModelConfig.requireInputWidth("seq2seq", embeddingSize, rnn);
        if (rnn.bidirectional()) {
            throw new IllegalArgumentException("seq2seq: the encoder must be unidirectional (its final state"
                    + " starts the decoder)");
        }
        if (beginToken < 0 || beginToken >= targetVocabulary || endToken < 0 || endToken >= targetVocabulary) {
            throw new IllegalArgumentException("seq2seq: beginToken " + beginToken + " and endToken " + endToken
                    + " must be target ids in [0, " + targetVocabulary + ")");
        }
    }

    @Override
    public String kind() {
        return "seq2seq";
    }

    /** The decoder's stack: the encoder's, reading target embeddings. */
    public RecurrentConfig decoderRnn() {
        return rnn;
    }
}
