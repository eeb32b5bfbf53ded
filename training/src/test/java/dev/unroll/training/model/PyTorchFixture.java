package dev.unroll.training.model;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.io.HostTensor;
import dev.unroll.training.io.SafeTensors;
import dev.unroll.training.nn.NamedParameter;
import dev.unroll.training.nn.ParameterOwner;
import dev.unroll.training.nn.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One model's PyTorch reference, as {@code tools/make_pytorch_model_fixtures.py} writes it (float64 safetensors
 * under {@code /pytorch/}): weights under {@code param.<name>}, gradients of the mean loss under
 * {@code grad.<name>}, inputs under {@code batch.*}, outputs under {@code expected.*} and {@code decode<k>.*}.
 * Ids and lengths are stored as doubles; reading them checks they are exact integers, so a fixture written
 * wrongly fails here instead of being silently truncated.
 */
final class PyTorchFixture {
    private static final String PARAM = "param.";
    private static final String GRAD = "grad.";

    private final String file;
    private final Map<String, HostTensor> tensors;

    private PyTorchFixture(String file, Map<String, HostTensor> tensors) {
        this.file = file;
        this.tensors = tensors;
    }

    static PyTorchFixture load(String file) {
        try {
            Path path = Path.of(Objects.requireNonNull(PyTorchFixture.class.getResource("/pytorch/" + file),
                    file + " (regenerate with training/tools/make_pytorch_model_fixtures.py)").toURI());
            return new PyTorchFixture(file, SafeTensors.read(path).tensors());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Overwrites every parameter with PyTorch's weights. Strict: the fixture must hold exactly the model's
     * parameter names, so a parameter PyTorch has and we lack (or the reverse) fails here.
     */
    void loadWeights(ParameterOwner model) {
        StateDict.load(model, StateDict.withoutPrefix(tensors, PARAM), true);
    }

    /**
     * Every parameter's accumulated gradient equals PyTorch's, and PyTorch has a gradient for exactly our
     * parameters (none compared by accident of omission).
     */
    void assertGradients(ParameterOwner model, Tolerance tolerance) {
        Set<String> ours = model.parameters().stream().map(NamedParameter::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(StateDict.withoutPrefix(tensors, GRAD).keySet()), ours,
                file + ": gradient names");
        for (NamedParameter p : model.parameters()) {
            assertClose(file + ": d loss / d " + p.name(), values(GRAD + p.name()), p.grad().toDoubleArray(),
                    tolerance);
        }
    }

    HostTensor tensor(String name) {
        return Objects.requireNonNull(tensors.get(name), () -> file + " has no tensor " + name);
    }

    int[] shape(String name) {
        return tensor(name).shape();
    }

    double[] values(String name) {
        return tensor(name).values();
    }

    double scalar(String name) {
        double[] v = values(name);
        assertEquals(1, v.length, file + ": " + name + " is not a scalar");
        return v[0];
    }

    int[] ints(String name) {
        double[] v = values(name);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
            assertEquals(v[i], out[i], 0.0, file + ": " + name + "[" + i + "] is not an integer");
        }
        return out;
    }

    float[] floats(String name) {
        double[] v = values(name);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
            assertEquals(v[i], out[i], 0.0, file + ": " + name + "[" + i + "] is not a float32 value");
        }
        return out;
    }

    /** Time-major {@code [T, B]} ids as token sequences with the padding removed. */
    TokenSequences tokenSequences(String idsName, String lengthsName) {
        int[] shape = shape(idsName);
        return new TokenSequences(ints(idsName), ints(lengthsName), shape[0], shape[1]);
    }

    /** The same, one array per sequence, for builders such as {@link TranslationBatch#of}. */
    List<int[]> sequences(String idsName, String lengthsName) {
        TokenSequences s = tokenSequences(idsName, lengthsName);
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < s.batch(); b++) {
            out.add(s.sequence(b));
        }
        return out;
    }
}
