package dev.unroll.cells;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the stack promises a backend that records repeated work ({@code Backend.runRepeatable}) or runs a whole
 * sequence at once: which loops it hands over, under keys that repeat exactly for the same work, forgotten when
 * their buffers close; and the calls it makes instead where a batch has several lengths. The numbers of those
 * paths are the conformance kit's business.
 */
class RepeatedWorkTest {
    private final List<String> calls = new ArrayList<>();
    private final Backend backend = StubBackend.create(calls);

    @Test
    void aFullLengthBatchHandsOverEveryLoopUnderKeysThatRepeatAndAreForgottenOnClose() {
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true);
        Set<String> firstKeys;
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config)) {
            firstKeys = runBatch(stack, null);
            // the whole forward and backward passes; both directions run whole sequences, so no step loop of its own
            assertEquals(2, firstKeys.size(), firstKeys::toString);
            assertEquals(1, firstKeys.stream().filter(k -> k.startsWith("ForwardPassKey")).count(), firstKeys::toString);
            assertEquals(1, firstKeys.stream().filter(k -> k.startsWith("BackwardPassKey")).count(),
                    firstKeys::toString);
            assertEquals(2 * 2, count("lstmSequenceForward"), "one whole-sequence forward per layer and direction");
            assertEquals(2 * 2, count("lstmSequenceBackward"), "one whole-sequence backward per layer and direction");
            assertEquals(2, count("lstmSequenceForward(REVERSE"), "the reverse direction's in reverse time");
            assertEquals(0, count("gatherRows"), "a full-length batch keeps its order: rows are copied, not gathered");

            calls.clear();
            assertEquals(firstKeys, runBatch(stack, null), "the same shape repeats the same keys");
            assertEquals(0, count("forgetRepeatable:"), "nothing is forgotten while the buffers live");
            calls.clear();
        }
        assertEquals(firstKeys, keys("forgetRepeatable:"), "closing the stack forgets exactly its keys");
    }

    @Test
    void aBatchOfSeveralLengthsRunsWholeSequencesDirectlyWithTheRowsOfEachStep() {
        RecurrentConfig config = RecurrentConfig.of(CellType.GRU, 3, 4).withBidirectional(true);
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config)) {
            assertEquals(Set.of(), runBatch(stack, new int[] {2, 5}), "nothing recorded: the rows change per batch");
            assertEquals(2, count("gruSequenceForward"), "one whole-sequence call per direction");
            assertEquals(2, count("gruSequenceBackward"), "one whole-sequence call per direction");
            assertTrue(count("gatherRows") > 0, "sorting by length reorders rows");
        }
    }

    @Test
    void theOriginalGruFormHasNoWholeSequenceCallAndRecordsItsLoopInstead() {
        RecurrentConfig config = RecurrentConfig.of(CellType.GRU, 3, 4).withGruForm(GruForm.ORIGINAL);
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config)) {
            Set<String> keys = runBatch(stack, null);
            assertEquals(0, count("gruSequenceForward"));
            assertEquals(0, count("gruSequenceBackward"));
            assertEquals(4, keys.size(), "the two passes, the forward loop and the backward loop: " + keys);
            assertFalse(keys.stream().anyMatch(k -> k.contains("direction=1")), keys::toString);
        }
    }

    @Test
    void givenInitialStatesHaveAForwardPassKeyOfTheirOwnAndDropoutMasksKeepThePassOutOfRepeatedWork() {
        RecurrentConfig config = RecurrentConfig.of(CellType.RNN_TANH, 3, 4).withLayers(2);
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
             Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3);
             Tensor h0 = backend.allocate(DType.FLOAT32, 2, 2, 4)) {
            stack.forward(x, h0, null, null, false).close();
            Set<String> given = passKeys();
            calls.clear();
            stack.forward(x, null, null, null, false).close();
            Set<String> zero = passKeys();
            assertEquals(1, given.size(), given::toString);
            assertEquals(1, zero.size(), zero::toString);
            assertTrue(given.iterator().next().contains("hiddenGiven=true"), given::toString);
            assertFalse(given.equals(zero), "the caller's h0 is copied in before the pass; zero states are set in it");
        }
        calls.clear();
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config.withDropout(0.5, 3));
             Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3)) {
            stack.forward(x, null, null, null, true).close();
            assertEquals(Set.of(), passKeys(), "fresh dropout masks are uploaded on every training pass");
            calls.clear();
            stack.forward(x, null, null, null, false).close();
            assertEquals(1, passKeys().size(), "evaluation draws no masks");
        }
    }

    private Set<String> passKeys() {
        Set<String> keys = new TreeSet<>(keys("runRepeatable:"));
        keys.removeIf(k -> !k.startsWith("ForwardPassKey"));
        return keys;
    }

    @Test
    void everyBackwardOptionThatChangesTheWorkHasItsOwnPassKey() {
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4);
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
             Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3);
             Tensor dy = backend.allocate(DType.FLOAT32, 5, 2, 4);
             RecurrentPass pass = stack.forward(x, null, null, null, false)) {
            List<Set<String>> keysPerCall = new ArrayList<>();
            Runnable[] calls = {
                () -> stack.backward(pass, dy, null, null).close(),
                () -> stack.backward(pass, dy, null, null).close(),
                () -> stack.backward(pass, null, null, null).close(),
                () -> stack.backward(pass, dy, null, null, 3).close(),
                () -> stack.backward(pass, dy, null, null, Integer.MAX_VALUE, InputGradient.SKIP).close()};
            for (Runnable call : calls) {
                this.calls.clear();
                call.run();
                Set<String> passKeys = new TreeSet<>(keys("runRepeatable:"));
                passKeys.removeIf(k -> !k.startsWith("BackwardPassKey"));
                assertEquals(1, passKeys.size(), passKeys::toString);
                keysPerCall.add(passKeys);
            }
            assertEquals(keysPerCall.get(0), keysPerCall.get(1), "the same call repeats its key");
            assertEquals(4, new HashSet<>(keysPerCall).size(), "no dy, a window, no dx: keys of their own");
        }
    }

    /**
     * The promise {@code runRepeatable} asks of its callers, which a recording backend relies on: no allocation,
     * upload, download or host-indexed operation inside the work. Every cell, both directions, given states,
     * truncated and full backward.
     */
    @Test
    void repeatedWorkNeitherAllocatesNorTransfers() {
        Set<String> forbidden = Set.of("allocate", "upload", "download", "gatherRows", "scatterAddRows", "sumOfSquares",
                "maxAbs", "softmaxCrossEntropy", "softmaxCrossEntropyBackward");
        for (CellType cell : CellType.values()) {
            RecurrentConfig config = RecurrentConfig.of(cell, 3, 4).withLayers(2).withBidirectional(true);
            try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
                 Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3);
                 Tensor h0 = backend.allocate(DType.FLOAT32, 4, 2, 4);
                 Tensor dy = backend.allocate(DType.FLOAT32, 5, 2, 8)) {
                calls.clear();
                try (RecurrentPass pass = stack.forward(x, h0, null, null, false)) {
                    stack.backward(pass, dy, null, null).close();
                    stack.backward(pass, null, h0, null).close();
                }
                int depth = 0;
                List<String> inside = new ArrayList<>();
                for (String call : calls) {
                    if (call.startsWith("runRepeatable:")) {
                        depth++;
                    } else if (call.equals(StubBackend.END_REPEATABLE)) {
                        depth--;
                    } else if (depth > 0 && forbidden.contains(call)) {
                        inside.add(call);
                    }
                }
                assertEquals(List.of(), inside, cell + ": forbidden calls inside repeated work");
                assertTrue(calls.stream().anyMatch(c -> c.startsWith("runRepeatable:ForwardPassKey")), cell::toString);
            }
        }
    }

    /** One forward and full backward over {@code [5, 2, 3]}; returns the keys of {@code runRepeatable} calls. */
    private Set<String> runBatch(RecurrentStack stack, int[] lengths) {
        int width = stack.config().outputSize();
        try (Tensor x = backend.allocate(DType.FLOAT32, 5, 2, 3);
             Tensor dy = backend.allocate(DType.FLOAT32, 5, 2, width);
             RecurrentPass pass = stack.forward(x, null, null, lengths, true)) {
            stack.backward(pass, dy, null, null).close();
        }
        return keys("runRepeatable:");
    }

    private Set<String> keys(String prefix) {
        Set<String> keys = new TreeSet<>();
        calls.stream().filter(c -> c.startsWith(prefix)).forEach(c -> keys.add(c.substring(prefix.length())));
        return keys;
    }

    private long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }
}
