package dev.unroll.training.io;

import dev.unroll.training.nn.ParameterOwner;
import dev.unroll.training.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's weights as a PyTorch {@code state_dict} in a safetensors file: what
 * {@code safetensors.torch.save_file(module.state_dict(), path)} writes and {@code load_file} reads, for a
 * PyTorch module whose attributes carry the same names ({@code embedding}, {@code rnn}, {@code head}, ...).
 */
public final class PyTorchWeights {
    private PyTorchWeights() {
    }

    /** Writes every parameter under its name, in its dtype. */
    public static void save(ParameterOwner model, Path file) throws IOException {
        SafeTensors.write(file, StateDict.of(model), Map.of("format", "pt"));
    }

    /**
     * Loads every parameter from the tensor of the same name (converted to the parameter's dtype).
     *
     * @param strict whether tensors that match no parameter are an error (PyTorch's {@code strict=True})
     * @throws IllegalArgumentException naming missing or unexpected names, or a mismatched shape
     */
    public static void load(ParameterOwner model, Path file, boolean strict) throws IOException {
        StateDict.load(model, SafeTensors.read(file).tensors(), strict);
    }
}
