package dev.unroll.training.data;

import java.util.List;

/** One example of a tagging data set: tokens with one tag each. */
public record TaggedSentence(List<String> tokens, List<String> tags) {
    public TaggedSentence {
        tokens = List.copyOf(tokens);
        tags = List.copyOf(tags);
        if (tokens.size() != tags.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + tags.size() + " tags");
        }
    }

    public int length() {
        return tokens.size();
    }
}
