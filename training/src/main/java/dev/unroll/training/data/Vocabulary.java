package dev.unroll.training.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable mapping between tokens and dense ids. Id {@value #PAD_ID} is the padding token and id
 * {@value #UNKNOWN_ID} the unknown token, always; any token not in the vocabulary encodes to the unknown id,
 * so text seen only at inference (a new character, a new word) still runs through a trained model.
 *
 * <p>The same list of tokens always gives the same ids (its order is the id order), which is what a
 * checkpoint stores: {@link #tokens()} written out and {@link #of(List)} read back give an equal vocabulary.
 */
public final class Vocabulary {
    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";
    public static final int PAD_ID = 0;
    public static final int UNKNOWN_ID = 1;
    /** Starts a generated sequence (a language model's or a decoder's first input); not reserved, add it as an extra token. */
    public static final String BEGIN = "<bos>";
    /** Ends a generated sequence; not reserved, add it as an extra token. */
    public static final String END = "<eos>";

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            if (map.putIfAbsent(this.tokens.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate token in vocabulary: '" + this.tokens.get(i) + "'");
            }
        }
        this.ids = Collections.unmodifiableMap(map);
    }

    /**
     * A vocabulary of the padding token, the unknown token, then the distinct {@code extraTokens} in the
     * order given (duplicates and the two reserved tokens are skipped), then the distinct tokens of
     * {@code corpus} sorted, so that the ids do not depend on the order of the training examples.
     */
    public static Vocabulary build(Collection<String> extraTokens, Collection<? extends Collection<String>> corpus) {
        Set<String> ordered = new LinkedHashSet<>();
        ordered.add(PAD);
        ordered.add(UNKNOWN);
        ordered.addAll(extraTokens);
        java.util.TreeSet<String> seen = new java.util.TreeSet<>();
        for (Collection<String> sequence : corpus) {
            seen.addAll(sequence);
        }
        ordered.addAll(seen);
        return new Vocabulary(new ArrayList<>(ordered));
    }

    /** A vocabulary of the reserved tokens then the distinct tokens of {@code corpus}, sorted. */
    public static Vocabulary build(Collection<? extends Collection<String>> corpus) {
        return build(List.of(), corpus);
    }

    /**
     * The vocabulary whose id {@code i} is {@code tokens.get(i)}, as {@link #tokens()} returned it.
     *
     * @throws IllegalArgumentException if the list does not start with the padding and unknown tokens or
     *                                  holds a token twice
     */
    public static Vocabulary of(List<String> tokens) {
        if (tokens.size() < 2 || !PAD.equals(tokens.get(PAD_ID)) || !UNKNOWN.equals(tokens.get(UNKNOWN_ID))) {
            throw new IllegalArgumentException("a vocabulary must start with " + PAD + " and " + UNKNOWN
                    + ", was " + tokens.subList(0, Math.min(2, tokens.size())));
        }
        return new Vocabulary(tokens);
    }

    /** Number of tokens, the reserved ones included. */
    public int size() {
        return tokens.size();
    }

    /** Every token, in id order. */
    public List<String> tokens() {
        return tokens;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of {@code token}, or {@link #UNKNOWN_ID} if it is not in the vocabulary. */
    public int id(String token) {
        return ids.getOrDefault(token, UNKNOWN_ID);
    }

    /** The token of {@code id}. */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IndexOutOfBoundsException("token id " + id + " outside vocabulary of " + tokens.size());
        }
        return tokens.get(id);
    }

    /** The ids of {@code sequence}; unknown tokens become {@link #UNKNOWN_ID}. */
    public int[] encode(List<String> sequence) {
        int[] out = new int[sequence.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(sequence.get(i));
        }
        return out;
    }

    /** The tokens of {@code sequenceIds}. */
    public List<String> decode(int[] sequenceIds) {
        List<String> out = new ArrayList<>(sequenceIds.length);
        for (int id : sequenceIds) {
            out.add(token(id));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary other && tokens.equals(other.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.size() + " tokens]";
    }
}
