package dev.unroll.backend.cpu;

import dev.unroll.api.DType;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Float32 scratch tensors of a backend, handed out by shape and given back for reuse, so a training loop
 * allocates (and ND4J zero-fills) them once. Each one taken is the caller's alone until given back; the
 * backend closes them all when it closes. Not thread-safe, like the backend.
 */
final class ScratchTensors {
    private final CpuBackend backend;
    private final Map<List<Integer>, ArrayDeque<CpuTensor>> free = new HashMap<>();

    ScratchTensors(CpuBackend backend) {
        this.backend = backend;
    }

    /** A {@code [rows, cols]} float32 tensor with unspecified contents, the caller's until {@link #give}. */
    CpuTensor take(int rows, int cols) {
        ArrayDeque<CpuTensor> shelf = free.get(List.of(rows, cols));
        CpuTensor t = shelf == null ? null : shelf.poll();
        return t != null ? t : (CpuTensor) backend.allocate(DType.FLOAT32, rows, cols);
    }

    /** Gives back a tensor from {@link #take}. */
    void give(CpuTensor t) {
        free.computeIfAbsent(List.of(t.rows(), t.cols()), k -> new ArrayDeque<>()).push(t);
    }
}
