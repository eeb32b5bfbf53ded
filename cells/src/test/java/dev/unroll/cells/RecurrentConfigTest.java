package dev.unroll.cells;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentConfigTest {

    @Test
    void ofGivesPyTorchDefaults() {
        RecurrentConfig c = RecurrentConfig.of(CellType.LSTM, 5, 7);
        assertEquals(1, c.numLayers());
        assertFalse(c.bidirectional());
        assertTrue(c.bias());
        assertEquals(0.0, c.dropout());
        assertFalse(c.learnedInitialState());
        assertEquals(GruForm.PYTORCH, c.gruForm());
        assertEquals(1, c.directions());
        assertEquals(7, c.outputSize());
    }

    @Test
    void withersChangeOneFieldEach() {
        RecurrentConfig c = RecurrentConfig.of(CellType.GRU, 5, 7)
                .withLayers(3).withBidirectional(true).withBias(false).withDropout(0.25, 42)
                .withLearnedInitialState(true).withGruForm(GruForm.ORIGINAL);
        assertEquals(new RecurrentConfig(CellType.GRU, 5, 7, 3, true, false, 0.25, 42, true, GruForm.ORIGINAL), c);
        assertEquals(2, c.directions());
        assertEquals(14, c.outputSize());
        assertEquals(6, c.stateLayers());
        assertEquals(5, c.layerInputSize(0));
        assertEquals(14, c.layerInputSize(1));
    }

    @Test
    void rejectsInvalidSizesNamingTheField() {
        assertMessage("inputSize must be >= 1, was 0", () -> RecurrentConfig.of(CellType.LSTM, 0, 4));
        assertMessage("hiddenSize must be >= 1, was -2", () -> RecurrentConfig.of(CellType.LSTM, 3, -2));
        assertMessage("numLayers must be >= 1, was 0", () -> RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(0));
    }

    @Test
    void rejectsSizesWhoseWeightsOverflowATensor() {
        // 4 * 30000 rows of 30000: 3.6e9 elements
        assertMessage("inputSize 3 and hiddenSize 30000 need a weight of 120000 x 30000 elements (LSTM), more than"
                + " a tensor holds (2147483647)", () -> RecurrentConfig.of(CellType.LSTM, 3, 30000));
        // the second layer of a bidirectional stack reads 2H: 3 * 20000 x 40000 = 2.4e9, where one layer would fit
        RecurrentConfig fits = RecurrentConfig.of(CellType.GRU, 3, 20000).withBidirectional(true);
        assertEquals(20000, fits.hiddenSize());
        assertMessage("inputSize 3 and hiddenSize 20000 need a weight of 60000 x 40000 elements (GRU; layers above"
                + " the first read 2 x hiddenSize), more than a tensor holds (2147483647)", () -> fits.withLayers(2));
    }

    @Test
    void rejectsDropoutOutsideZeroToOne() {
        RecurrentConfig c = RecurrentConfig.of(CellType.RNN_TANH, 3, 4);
        assertMessage("dropout must be in [0, 1), was 1.0", () -> c.withDropout(1.0, 0));
        assertMessage("dropout must be in [0, 1), was -0.1", () -> c.withDropout(-0.1, 0));
        assertMessage("dropout must be in [0, 1), was NaN", () -> c.withDropout(Double.NaN, 0));
    }

    @Test
    void rejectsNullCellAndForm() {
        assertThrows(NullPointerException.class,
                () -> new RecurrentConfig(null, 1, 1, 1, false, true, 0, 0, false, GruForm.PYTORCH));
        assertThrows(NullPointerException.class, () -> RecurrentConfig.of(CellType.GRU, 1, 1).withGruForm(null));
    }

    @Test
    void cellTypesHaveFixtureIdsAndGateCounts() {
        assertEquals(1, CellType.RNN_TANH.gateCount());
        assertEquals(1, CellType.RNN_RELU.gateCount());
        assertEquals(4, CellType.LSTM.gateCount());
        assertEquals(3, CellType.GRU.gateCount());
        for (CellType c : CellType.values()) {
            assertEquals(c, CellType.fromId(c.id()));
            assertEquals(c, CellType.fromId(c.id().toUpperCase()));
        }
        assertMessage("unknown cell type 'elman'; known: rnn_tanh, rnn_relu, lstm, gru", () -> CellType.fromId("elman"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}
