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
 *                         (unidirectional: the decoder's initial state is the encoder's final state, so a learned
 *                         initial state is the encoder's only)
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

    /**
     * Added to the encoder's dropout seed to give the decoder's. Both stacks run one training pass per batch and
     * draw each pass's masks from {@code new SplittableRandom(dropoutSeed + pass)}, so with one seed the decoder
     * would drop exactly the units the encoder drops at the same step and batch entry, where PyTorch's two
     * modules draw independent masks. Not the golden gamma {@code 0x9E3779B97F4A7C15}: seeds that far apart give
     * the same stream shifted by one draw. This offset differs from {@code k} gammas by more than 1.9e9 for every
     * {@code |k| < 2^29}, so the two streams meet only for passes or mask positions that many apart.
     */
    static final long DECODER_DROPOUT_SEED_OFFSET = 0x5851F42D4C957F2DL;

    /**
     * The decoder's stack: the encoder's, reading target embeddings, with its own dropout seed (see
     * {@link #DECODER_DROPOUT_SEED_OFFSET}), so its dropout masks are independent of the encoder's, and without a
     * learned initial state: it always starts from the encoder's final state, so such parameters would never be
     * read and their gradient would stay zero.
     */
    public RecurrentConfig decoderRnn() {
        return rnn.withDropout(rnn.dropout(), rnn.dropoutSeed() + DECODER_DROPOUT_SEED_OFFSET)
                .withLearnedInitialState(false);
    }
}
