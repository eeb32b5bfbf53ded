package dev.unroll.training.model;

/**
 * What a model reads at each step: token ids through an embedding ({@link #tokens}) or dense feature vectors
 * ({@link #features}).
 *
 * @param vocabularySize ids are in {@code [0, vocabularySize)}; 0 for dense features
 * @param embeddingSize  width of the embedding; 0 for dense features
 * @param featureSize    width of a dense feature vector; 0 for tokens
 */
public record InputSpec(int vocabularySize, int embeddingSize, int featureSize) {

    public InputSpec {
        boolean tokens = vocabularySize > 0 && embeddingSize > 0 && featureSize == 0;
        boolean features = vocabularySize == 0 && embeddingSize == 0 && featureSize > 0;
        if (!tokens && !features) {
            throw new IllegalArgumentException("InputSpec needs either vocabularySize and embeddingSize (tokens)"
                    + " or featureSize (dense), got " + vocabularySize + ", " + embeddingSize + ", " + featureSize);
        }
    }

    public static InputSpec tokens(int vocabularySize, int embeddingSize) {
        return new InputSpec(vocabularySize, embeddingSize, 0);
    }

    public static InputSpec features(int featureSize) {
        return new InputSpec(0, 0, featureSize);
    }

    public boolean usesTokens() {
        return vocabularySize > 0;
    }

    /** Features per step that reach the recurrent stack: the embedding or feature width. */
    public int width() {
        return usesTokens() ? embeddingSize : featureSize;
    }
}
