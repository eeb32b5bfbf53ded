package dev.unroll.training.nn;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import java.util.List;

/**
 * A lookup table of token vectors, PyTorch's {@code nn.Embedding}: {@code weight [vocabulary, dim]} named
 * {@code prefix.weight}. Row {@code i} of the output is row {@code ids[i]} of the table.
 */
public final class Embedding implements ParameterOwner, AutoCloseable {
    private final Backend backend;
    private final int vocabularySize;
    private final int dimension;
    private final NamedParameter weight;

    public Embedding(Backend backend, DType dtype, String prefix, int vocabularySize, int dimension) {
        if (vocabularySize < 1 || dimension < 1) {
            throw new IllegalArgumentException("Embedding sizes must be >= 1, were vocabulary=" + vocabularySize
                    + " dim=" + dimension);
        }
        this.backend = backend;
        this.vocabularySize = vocabularySize;
        this.dimension = dimension;
        this.weight = NamedParameter.allocate(backend, dtype, prefix + ".weight", vocabularySize, dimension);
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public int dimension() {
        return dimension;
    }

    /** PyTorch's default: standard normal entries. */
    public void initialize(SeededRandom random) {
        double[] v = new double[vocabularySize * dimension];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        weight.value().copyFrom(v);
    }

    /**
     * @param ids token ids in {@code [0, vocabulary)}, one per output row
     * @param out {@code [ids.length, dim]} (e.g. {@code [T, B, dim]} for time-major ids), output
     */
    public void forward(int[] ids, Tensor out) {
        checkIds(ids);
        backend.gatherRows(weight.value(), ids, out);
    }

    /**
     * Accumulates {@code weight.grad[ids[i]] += dOut[i]}; repeated ids accumulate.
     *
     * @param dOut {@code [ids.length, dim]}; rows that must not train (padding) must be zero
     */
    public void backward(int[] ids, Tensor dOut) {
        backend.scatterAddRows(dOut, ids, weight.grad());
    }

    private void checkIds(int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw new IllegalArgumentException("Embedding: token id " + ids[i] + " at position " + i
                        + " is outside [0, " + vocabularySize + ")");
            }
        }
    }

    @Override
    public List<NamedParameter> parameters() {
        return List.of(weight);
    }

    @Override
    public void close() {
        weight.value().close();
        weight.grad().close();
    }
}
