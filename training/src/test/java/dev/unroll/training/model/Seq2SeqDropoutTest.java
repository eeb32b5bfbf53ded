package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.nn.SeededRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A seq2seq decoder draws dropout masks of its own, as PyTorch's separate encoder and decoder modules do. Both
 * stacks run one training pass per batch; with the encoder's seed the decoder's masks were the encoder's, unit
 * for unit, at every step both sequences have.
 */
class Seq2SeqDropoutTest extends FreshBackendPerTest {
    private static final DType F64 = DType.FLOAT64;

    @Test
    void theDecodersDropoutMasksAreNotTheEncoders() {
        RecurrentConfig rnn = RecurrentConfig.of(CellType.RNN_TANH, 3, 4).withLayers(2).withDropout(0.5, 42);
        Seq2SeqConfig config = new Seq2SeqConfig(5, 6, 3, rnn, 0, 1);
        RecurrentConfig decoder = config.decoderRnn();
        // Only the seed may differ: the decoder is the encoder's stack reading target embeddings.
        assertEquals(rnn.withDropout(rnn.dropout(), decoder.dropoutSeed()), decoder);

        int steps = 6;
        int batch = 3;
        float[] input = TestSupport.randomFloats(new SeededRandom(1), steps * batch * 3);
        int[] lengths = {steps, steps, steps};
        // The same weights (same seed, same shapes) and the same input in both stacks, so any difference between
        // their training outputs is the dropout mask.
        try (RecurrentStack encoderStack = new RecurrentStack(backend, F64, rnn);
             RecurrentStack decoderStack = new RecurrentStack(backend, F64, decoder);
             Tensor x = backend.upload(F64, input, steps, batch, 3)) {
            encoderStack.initialize(7);
            decoderStack.initialize(7);
            assertArrayEquals(output(encoderStack, x, lengths, false), output(decoderStack, x, lengths, false),
                    "without dropout the two stacks compute the same function");
            // the first training pass of a batch, as Seq2Seq#lossAndGradients runs both stacks
            encoderStack.setDropoutCall(0);
            decoderStack.setDropoutCall(0);
            double[] encoded = output(encoderStack, x, lengths, true);
            double[] decoded = output(decoderStack, x, lengths, true);
            assertFalse(Arrays.equals(encoded, decoded),
                    "the decoder dropped exactly the units the encoder dropped");
        }
    }

    private static double[] output(RecurrentStack stack, Tensor x, int[] lengths, boolean training) {
        try (RecurrentPass pass = stack.forward(x, null, null, lengths, training)) {
            return pass.output().toDoubleArray();
        }
    }
}
