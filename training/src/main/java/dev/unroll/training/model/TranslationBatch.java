package dev.unroll.training.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Source and target sequences for a {@link Seq2Seq} trained with teacher forcing: the decoder reads
 * {@code [begin, y1, ..., yn]} and must predict {@code [y1, ..., yn, end]}.
 *
 * @param source         {@code B} source sequences
 * @param decoderInput   {@code B} sequences {@code [begin, y1..yn]}
 * @param decoderTargets {@code [T' * B]} time-major {@code [y1..yn, end]}, negative past each target's end
 */
public record TranslationBatch(TokenSequences source, TokenSequences decoderInput, int[] decoderTargets) {

    public TranslationBatch {
        if (source.batch() != decoderInput.batch()
                || decoderTargets.length != decoderInput.steps() * decoderInput.batch()) {
            throw new IllegalArgumentException("TranslationBatch: source, decoder input and targets disagree");
        }
    }

    /** Builds the teacher-forcing batch from token sequences (targets without begin and end tokens). */
    public static TranslationBatch of(List<int[]> sources, List<int[]> targets, int beginToken, int endToken) {
        if (sources.size() != targets.size()) {
            throw new IllegalArgumentException(sources.size() + " sources but " + targets.size() + " targets");
        }
        List<int[]> inputs = new ArrayList<>();
        List<int[]> outputs = new ArrayList<>();
        for (int[] y : targets) {
            int[] in = new int[y.length + 1];
            in[0] = beginToken;
            System.arraycopy(y, 0, in, 1, y.length);
            inputs.add(in);
            int[] out = Arrays.copyOf(y, y.length + 1);
            out[y.length] = endToken;
            outputs.add(out);
        }
        TokenSequences decoderInput = TokenSequences.pad(inputs);
        return new TranslationBatch(TokenSequences.pad(sources), decoderInput,
                TimeMajor.targets(outputs, decoderInput.steps()));
    }
}
