package dev.unroll.training.io;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.cells.RecurrentPass;
import dev.unroll.cells.RecurrentStack;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.SequenceTagger;
import dev.unroll.training.model.TaggerConfig;
import dev.unroll.training.model.TokenSequences;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.StateDict;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights trained in PyTorch and saved as safetensors (by {@code tools/make_pytorch_weights.py}) load under
 * their state_dict names and reproduce PyTorch's outputs, stored in the same file.
 */
class PyTorchInteropTest extends FreshBackendPerTest {
    private static Path fixturePath(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(PyTorchInteropTest.class.getResource("/pytorch/" + name), name).toURI());
    }

    private static Map<String, HostTensor> fixture(String name) throws IOException, URISyntaxException {
        return SafeTensors.read(fixturePath(name)).tensors();
    }

    @Test
    void aBidirectionalTwoLayerLstmFromPyTorchGivesPyTorchsOutputs() throws Exception {
        Map<String, HostTensor> f = fixture("pytorch_lstm.safetensors");
        RecurrentConfig config = RecurrentConfig.of(CellType.LSTM, 3, 4).withLayers(2).withBidirectional(true);
        try (RecurrentStack stack = new RecurrentStack(backend, DType.FLOAT32, config);
             Tensor x = f.get("x").upload(backend);
             Tensor h0 = f.get("h0").upload(backend);
             Tensor c0 = f.get("c0").upload(backend)) {
            stack.parameters().forEach(p -> f.get(p.name()).copyInto(p.value(), p.name()));
            try (RecurrentPass pass = stack.forward(x, h0, c0, null, false)) {
                assertClose("y", f.get("y").values(), pass.output().toDoubleArray(), Tolerance.FLOAT32);
                assertClose("h_n", f.get("h_n").values(), pass.finalHidden().toDoubleArray(), Tolerance.FLOAT32);
                assertClose("c_n", f.get("c_n").values(), pass.finalCell().toDoubleArray(), Tolerance.FLOAT32);
            }
        }
    }

    @Test
    void aPyTorchEmbeddingGruLinearModuleLoadsIntoASequenceTagger() throws Exception {
        Map<String, HostTensor> f = fixture("pytorch_tagger.safetensors");
        TaggerConfig config = new TaggerConfig(InputSpec.tokens(7, 5), RecurrentConfig.of(CellType.GRU, 5, 6), 3);
        HostTensor tokens = f.get("tokens");
        int steps = tokens.shape()[0];
        int batch = tokens.shape()[1];
        int[] ids = Arrays.stream(tokens.values()).mapToInt(v -> (int) v).toArray();
        int[] lengths = new int[batch];
        Arrays.fill(lengths, steps);
        try (SequenceTagger tagger = new SequenceTagger(backend, DType.FLOAT32, config)) {
            PyTorchWeights.load(tagger, fixturePath("pytorch_tagger.safetensors"), false);
            double[] logits = tagger.logits(new TokenSequences(ids, lengths, steps, batch));
            assertClose("logits", f.get("logits").values(), logits, Tolerance.FLOAT32);
            // and back: our state_dict has exactly PyTorch's names
            assertEquals(List.of("embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
                            "rnn.bias_hh_l0", "head.weight", "head.bias"),
                    tagger.parameters().stream().map(NamedParameter::name).toList());
        }
    }

    @Test
    void savedWeightsLoadBackUnderTheSameNames(@TempDir Path dir) throws Exception {
        TaggerConfig config = new TaggerConfig(InputSpec.tokens(7, 5), RecurrentConfig.of(CellType.GRU, 5, 6), 3);
        Path file = dir.resolve("tagger.safetensors");
        try (SequenceTagger original = new SequenceTagger(backend, DType.FLOAT32, config);
             SequenceTagger copy = new SequenceTagger(backend, DType.FLOAT32, config)) {
            original.initialize(5);
            PyTorchWeights.save(original, file);
            PyTorchWeights.load(copy, file, true);
            assertEquals(StateDict.of(original), StateDict.of(copy));
            assertEquals("pt", SafeTensors.read(file).metadata().get("format"));
        }
    }

    @Test
    void aMissingParameterIsNamed(@TempDir Path dir) throws Exception {
        TaggerConfig small = new TaggerConfig(InputSpec.tokens(7, 5), RecurrentConfig.of(CellType.GRU, 5, 6), 3);
        try (SequenceTagger tagger = new SequenceTagger(backend, DType.FLOAT32, small)) {
            Path file = dir.resolve("partial.safetensors");
            Map<String, HostTensor> partial = new java.util.LinkedHashMap<>(StateDict.of(tagger));
            partial.remove("head.bias");
            SafeTensors.write(file, partial, Map.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PyTorchWeights.load(tagger, file, true));
            assertTrue(e.getMessage().contains("head.bias"), e.getMessage());
        }
    }
}
