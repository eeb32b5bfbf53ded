package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parameter layout and the messages for bad arguments; the numbers are the conformance kit's business. */
class RecurrentStackArgumentsTest {
    private final Backend backend = StubBackend.create();
    private final RecurrentStack lstm = new RecurrentStack(backend, DType.FLOAT32,
            RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true).withLearnedInitialState(true));
    private final RecurrentStack gru = new RecurrentStack(backend, DType.FLOAT32, RecurrentConfig.of(CellType.GRU, 3, 4));

    @AfterEach
    void close() {
        lstm.close();
        gru.close();
    }

    @Test
    void parametersFollowPyTorchStateDictOrderThenLearnedStates() {
        List<String> names = lstm.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
                "h0_l0", "c0_l0", "h0_l0_reverse", "c0_l0_reverse", "h0_l1", "c0_l1", "h0_l1_reverse", "c0_l1_reverse"),
                names);
    }

    @Test
    void parametersHavePyTorchShapes() {
        assertArrayEquals(new int[] {16, 3}, lstm.parameter("weight_ih_l0").value().shape());
        assertArrayEquals(new int[] {16, 8}, lstm.parameter("weight_ih_l1_reverse").value().shape());
        assertArrayEquals(new int[] {16, 4}, lstm.parameter("weight_hh_l1").value().shape());
        assertArrayEquals(new int[] {16}, lstm.parameter("bias_hh_l0").value().shape());
        assertArrayEquals(new int[] {4}, lstm.parameter("c0_l1_reverse").grad().shape());
        assertArrayEquals(new int[] {12, 3}, gru.parameter("weight_ih_l0").grad().shape());
    }

    @Test
    void noBiasMeansNoBiasParameters() {
        try (RecurrentStack s = new RecurrentStack(backend, DType.FLOAT64,
                RecurrentConfig.of(CellType.RNN_RELU, 2, 2).withBias(false))) {
            assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), s.parameters().stream().map(Parameter::name).toList());
        }
    }

    @Test
    void unknownParameterListsTheKnownOnes() {
        assertMessage("no parameter named 'weight_ih_l1'; this stack has: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0",
                () -> gru.parameter("weight_ih_l1"));
    }

    @Test
    void inputMustBeTimeMajorWithTheInputSize() {
        assertMessage("x has shape [5, 2, 4] but expected [T, B, 3] (time-major, inputSize 3)",
                () -> gru.forward(tensor(DType.FLOAT32, 5, 2, 4), null, null, null, false));
        assertMessage("x has shape [10, 3] but expected [T, B, 3] (time-major, inputSize 3)",
                () -> gru.forward(tensor(DType.FLOAT32, 10, 3), null, null, null, false));
        assertMessage("x must not be null; expected shape [T, B, 3]", () -> gru.forward(null, null, null, null, false));
    }

    @Test
    void inputMustHaveTheStacksDType() {
        assertMessage("x has dtype FLOAT64 but this stack computes in FLOAT32",
                () -> gru.forward(tensor(DType.FLOAT64, 5, 2, 3), null, null, null, false));
    }

    @Test
    void initialStatesMustMatchLayersDirectionsBatchAndHidden() {
        Tensor x = tensor(DType.FLOAT32, 5, 2, 3);
        assertMessage("h0 has shape [2, 2, 4] but expected [4, 2, 4] ([numLayers*directions, B, hiddenSize])",
                () -> lstm.forward(x, tensor(DType.FLOAT32, 2, 2, 4), null, null, false));
        assertMessage("c0 has shape [4, 3, 4] but expected [4, 2, 4] ([numLayers*directions, B, hiddenSize])",
                () -> lstm.forward(x, null, tensor(DType.FLOAT32, 4, 3, 4), null, false));
        assertMessage("c0 must be null for GRU: only LSTM has a cell state",
                () -> gru.forward(x, null, tensor(DType.FLOAT32, 1, 2, 4), null, false));
    }

    @Test
    void lengthsMustBeOnePerSequenceWithinOneToT() {
        Tensor x = tensor(DType.FLOAT32, 5, 2, 3);
        assertMessage("lengths has 3 values but expected 2 (one per batch entry of x [T=5, B=2, ...])",
                () -> gru.forward(x, null, null, new int[] {5, 5, 5}, false));
        assertMessage("lengths[1] = 0 but every length must be in 1..5 (T of x)",
                () -> gru.forward(x, null, null, new int[] {5, 0}, false));
        assertMessage("lengths[0] = 6 but every length must be in 1..5 (T of x)",
                () -> gru.forward(x, null, null, new int[] {6, 1}, false));
    }

    @Test
    void passExposesResultShapes() {
        try (RecurrentPass pass = lstm.forward(tensor(DType.FLOAT32, 5, 2, 3), null, null, new int[] {2, 5}, true)) {
            assertArrayEquals(new int[] {5, 2, 8}, pass.output().shape());
            assertArrayEquals(new int[] {4, 2, 4}, pass.finalHidden().shape());
            assertArrayEquals(new int[] {4, 2, 4}, pass.finalCell().shape());
        }
        try (RecurrentPass pass = gru.forward(tensor(DType.FLOAT32, 5, 2, 3), null, null, null, false)) {
            assertNull(pass.finalCell());
        }
    }

    @Test
    void backwardChecksUpstreamShapes() {
        try (RecurrentPass pass = lstm.forward(tensor(DType.FLOAT32, 5, 2, 3), null, null, null, false)) {
            assertMessage("dy has shape [5, 2, 4] but expected [5, 2, 8] ([T, B, directions*hiddenSize], like the pass's output)",
                    () -> lstm.backward(pass, tensor(DType.FLOAT32, 5, 2, 4), null, null));
            assertMessage("dhN has shape [1, 2, 4] but expected [4, 2, 4] ([numLayers*directions, B, hiddenSize])",
                    () -> lstm.backward(pass, null, tensor(DType.FLOAT32, 1, 2, 4), null));
            assertMessage("maxSteps must be >= 1, was 0", () -> lstm.backward(pass, null, null, null, 0));
            assertMessage("truncated BPTT (maxSteps 2 < T 5) is defined for unidirectional stacks only",
                    () -> lstm.backward(pass, null, null, null, 2));
            assertMessage("pass must be a RecurrentPass of this stack", () -> gru.backward(pass, null, null, null));
        }
        try (RecurrentPass pass = gru.forward(tensor(DType.FLOAT32, 5, 2, 3), null, null, null, false)) {
            assertMessage("dcN must be null for GRU: only LSTM has a cell state",
                    () -> gru.backward(pass, null, null, tensor(DType.FLOAT32, 1, 2, 4)));
        }
    }

    /**
     * A closed tensor passed in is refused by its argument's name before any work. Without the check the first
     * backend operation that reads it failed naming its own parameter ("copyRows: tensor 'src' FLOAT32[5, 2, 3] is
     * closed" for x, "gatherRows: tensor 'table' ..." for dy), which does not say which argument was closed; this
     * stub backend computes nothing, so here nothing at all failed.
     */
    @Test
    void closedArgumentTensorsAreRefusedByName() {
        Tensor x = tensor(DType.FLOAT32, 5, 2, 3);
        assertClosed("x FLOAT32[5, 2, 3] is closed; pass an open tensor",
                () -> lstm.forward(closed(DType.FLOAT32, 5, 2, 3), null, null, null, false));
        assertClosed("h0 FLOAT32[4, 2, 4] is closed; pass an open tensor",
                () -> lstm.forward(x, closed(DType.FLOAT32, 4, 2, 4), null, null, false));
        assertClosed("c0 FLOAT32[4, 2, 4] is closed; pass an open tensor",
                () -> lstm.forward(x, null, closed(DType.FLOAT32, 4, 2, 4), null, false));
        try (RecurrentPass pass = lstm.forward(x, null, null, null, false)) {
            assertClosed("dy FLOAT32[5, 2, 8] is closed; pass an open tensor",
                    () -> lstm.backward(pass, closed(DType.FLOAT32, 5, 2, 8), null, null));
            assertClosed("dhN FLOAT32[4, 2, 4] is closed; pass an open tensor",
                    () -> lstm.backward(pass, null, closed(DType.FLOAT32, 4, 2, 4), null));
            assertClosed("dcN FLOAT32[4, 2, 4] is closed; pass an open tensor",
                    () -> lstm.backward(pass, null, null, closed(DType.FLOAT32, 4, 2, 4)));
        }
    }

    /**
     * Closing a backend closes every tensor it made, a stack's parameters included. A stack used after that says
     * so; without the check the first read failed naming whichever tensor it was ("x ... is closed", "fill: tensor
     * 't' FLOAT32[16, 3] is closed" from zeroGrad), which points away from the backend. The stub backend's close
     * does nothing, so the test closes the first parameter as closing a real backend would.
     */
    @Test
    void aStackWhoseBackendClosedSaysSo() {
        gru.parameters().get(0).value().close();
        String expected = "this RecurrentStack's parameters are closed: was its backend 'stub' closed before it?";
        assertEquals(expected, assertThrows(IllegalStateException.class,
                () -> gru.forward(tensor(DType.FLOAT32, 2, 1, 3), null, null, null, false)).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, gru::zeroGrad).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> gru.initialize(1)).getMessage());
    }

    @Test
    void closedStackAndPassRefuseWork() {
        RecurrentPass pass = gru.forward(tensor(DType.FLOAT32, 2, 1, 3), null, null, null, false);
        pass.close();
        assertThrows(IllegalStateException.class, pass::output);
        gru.close();
        assertThrows(IllegalStateException.class, () -> gru.forward(tensor(DType.FLOAT32, 2, 1, 3), null, null, null, false));
    }

    private Tensor tensor(DType dtype, int... shape) {
        return backend.allocate(dtype, shape);
    }

    private Tensor closed(DType dtype, int... shape) {
        Tensor t = tensor(dtype, shape);
        t.close();
        return t;
    }

    private static void assertClosed(String expected, Executable e) {
        assertEquals(expected, assertThrows(IllegalStateException.class, e).getMessage());
    }

    private static void assertMessage(String expected, Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}
