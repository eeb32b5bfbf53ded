package dev.unroll.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.nn.NamedParameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A seq2seq model with a learned initial state learns the encoder's: the decoder always starts from the encoder's
 * final state, so decoder parameters for one would never be read, their gradient always zero, and they would
 * still sit in every checkpoint.
 */
class Seq2SeqLearnedInitialStateTest {

    @Test
    void onlyTheEncoderHasALearnedInitialStateAndItLearns() {
        RecurrentConfig rnn = RecurrentConfig.of(CellType.LSTM, 3, 4).withLearnedInitialState(true);
        try (Backend backend = TestSupport.backend();
             Seq2Seq model = new Seq2Seq(backend, DType.FLOAT64, new Seq2SeqConfig(5, 6, 3, rnn, 0, 1))) {
            List<String> initialStates = model.parameters().stream().map(NamedParameter::name)
                    .filter(n -> n.contains(".h0_") || n.contains(".c0_")).toList();
            assertEquals(List.of("encoder.rnn.h0_l0", "encoder.rnn.c0_l0"), initialStates);

            model.initialize(3);
            TranslationBatch batch = TranslationBatch.of(List.of(new int[] {2, 3, 4}, new int[] {3}),
                    List.of(new int[] {2, 3}, new int[] {4, 5, 2}), 0, 1);
            model.lossAndGradients(batch, Trainable.ALL_STEPS);
            NamedParameter h0 = model.parameters().stream().filter(p -> p.name().equals("encoder.rnn.h0_l0"))
                    .findFirst().orElseThrow();
            double norm = 0;
            for (double g : h0.grad().toDoubleArray()) {
                norm += g * g;
            }
            assertTrue(norm > 0, "the encoder's learned initial state gets a gradient through the decoder");
        }
    }
}
