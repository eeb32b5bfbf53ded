package dev.unroll.training.data;

import java.util.List;

/** Splits text into tokens and joins tokens back into text; {@code join(tokenize(s))} restores {@code s}
 *  up to whitespace normalisation. */
public interface Tokenizer {

    List<String> tokenize(String text);

    String join(List<String> tokens);
}
