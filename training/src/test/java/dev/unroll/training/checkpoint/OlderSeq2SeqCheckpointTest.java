package dev.unroll.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.io.HostTensor;
import dev.unroll.training.model.Seq2Seq;
import dev.unroll.training.model.Seq2SeqConfig;
import dev.unroll.training.model.SequenceModel;
import dev.unroll.training.nn.StateDict;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seq2seq checkpoint saved while the decoder still had a learned initial state of its own (never read: the
 * decoder starts from the encoder's final state) holds {@code decoder.rnn.h0_l{k}} and {@code c0_l{k}} entries
 * the model no longer has; it restores without them, and any other unknown entry is still refused.
 */
class OlderSeq2SeqCheckpointTest {
    private static final int HIDDEN = 4;
    private static final Seq2SeqConfig CONFIG = new Seq2SeqConfig(5, 6, 3,
            RecurrentConfig.of(CellType.LSTM, 3, HIDDEN).withLayers(2).withLearnedInitialState(true), 0, 1);

    @Test
    void theDecodersUnreadInitialStatesAreDropped() {
        try (Backend backend = TestSupport.backend();
             Seq2Seq model = new Seq2Seq(backend, DType.FLOAT64, CONFIG)) {
            model.initialize(7);
            Map<String, HostTensor> older = new LinkedHashMap<>(StateDict.of(model));
            for (String name : new String[] {"h0_l0", "c0_l0", "h0_l1", "c0_l1"}) {
                older.put("decoder.rnn." + name, new HostTensor(DType.FLOAT64, new int[] {HIDDEN}, new double[HIDDEN]));
            }
            Checkpoint checkpoint = new Checkpoint(CONFIG, DType.FLOAT64, older, null, null, null, Map.of());

            try (SequenceModel restored = checkpoint.restoreModel(backend)) {
                assertEquals(StateDict.of(model), StateDict.of(restored));
            }
        }
    }

    @Test
    void anyOtherUnknownEntryIsStillRefused() {
        try (Backend backend = TestSupport.backend();
             Seq2Seq model = new Seq2Seq(backend, DType.FLOAT64, CONFIG)) {
            Map<String, HostTensor> unknown = new LinkedHashMap<>(StateDict.of(model));
            unknown.put("decoder.rnn.h0_l0_extra", new HostTensor(DType.FLOAT64, new int[] {HIDDEN},
                    new double[HIDDEN]));
            Checkpoint checkpoint = new Checkpoint(CONFIG, DType.FLOAT64, unknown, null, null, null, Map.of());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> checkpoint.restoreModel(backend).close());
            assertTrue(e.getMessage().contains("decoder.rnn.h0_l0_extra"), e.getMessage());
        }
    }
}
