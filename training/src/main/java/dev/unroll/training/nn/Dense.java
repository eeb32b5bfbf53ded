package dev.unroll.training.nn;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import java.util.List;

/**
 * A linear layer {@code y = x W^T + b}, PyTorch's {@code nn.Linear}: {@code weight [out, in]},
 * {@code bias [out]}, named {@code prefix.weight} and {@code prefix.bias}.
 */
public final class Dense implements ParameterOwner, AutoCloseable {
    private final Backend backend;
    private final int inputSize;
    private final int outputSize;
    private final NamedParameter weight;
    private final NamedParameter bias;

    /**
     * @param prefix the module name, e.g. {@code head}
     */
    public Dense(Backend backend, DType dtype, String prefix, int inputSize, int outputSize) {
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("Dense sizes must be >= 1, were in=" + inputSize + " out=" + outputSize);
        }
        this.backend = backend;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.weight = NamedParameter.allocate(backend, dtype, prefix + ".weight", outputSize, inputSize);
        try {
            this.bias = NamedParameter.allocate(backend, dtype, prefix + ".bias", outputSize);
        } catch (RuntimeException | Error e) { // the caller never gets the layer, so nobody else could free the weight
            weight.value().close();
            weight.grad().close();
            throw e;
        }
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    /** PyTorch's default: weight and bias uniform in {@code [-1/sqrt(in), 1/sqrt(in))}. */
    public void initialize(SeededRandom random) {
        double bound = 1 / Math.sqrt(inputSize);
        weight.value().copyFrom(uniform(random, outputSize * inputSize, bound));
        bias.value().copyFrom(uniform(random, outputSize, bound));
    }

    private static double[] uniform(SeededRandom random, int n, double bound) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.uniform(-bound, bound);
        }
        return v;
    }

    /**
     * @param x {@code [N, in]} (any shape whose last dimension is {@code in})
     * @param y {@code [N, out]}, output
     */
    public void forward(Tensor x, Tensor y) {
        backend.gemm(false, true, 1.0, x, weight.value(), 0.0, y);
        backend.addRowVector(y, bias.value(), y);
    }

    /**
     * Accumulates {@code dW += dy^T x} and {@code db += sum_rows dy}, and writes {@code dx = dy W}.
     *
     * @param x  {@code [N, in]} the forward input
     * @param dy {@code [N, out]} the gradient of the output
     * @param dx {@code [N, in]} output, or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor dy, Tensor dx) {
        backend.gemm(true, false, 1.0, dy, x, 1.0, weight.grad());
        backend.columnSums(dy, 1.0, bias.grad());
        if (dx != null) {
            backend.gemm(false, false, 1.0, dy, weight.value(), 0.0, dx);
        }
    }

    @Override
    public List<NamedParameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public void close() {
        for (NamedParameter p : parameters()) {
            p.value().close();
            p.grad().close();
        }
    }
}
