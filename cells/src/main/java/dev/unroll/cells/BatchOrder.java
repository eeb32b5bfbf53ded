package dev.unroll.cells;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The batch sorted by decreasing sequence length (stable), which turns a variable-length batch into row
 * prefixes: at step {@code t} the sequences still running are exactly the first {@link #active(int)} rows
 * of the sorted order. So every per-step operation runs on a {@code viewRows} prefix, with no masks, and
 * rows past the prefix keep their state untouched (PyTorch's packed-sequence semantics).
 */
final class BatchOrder {
    private final int steps;
    private final int batch;
    /** {@code sortedToOriginal[i]}: the original batch index of sorted row {@code i}. */
    private final int[] sortedToOriginal;
    /** {@code originalToSorted[b]}: the sorted row of original batch index {@code b}. */
    private final int[] originalToSorted;
    /** {@code active[t]}: how many sequences have a step {@code t}. */
    private final int[] active;
    private final int[] sortedLengths;

    /** @param lengths one length in {@code 1..steps} per batch entry, or null for all {@code steps} */
    BatchOrder(int steps, int batch, int[] lengths) {
        this.steps = steps;
        this.batch = batch;
        int[] len = lengths == null ? filled(batch, steps) : lengths.clone();
        this.sortedToOriginal = IntStream.range(0, batch).boxed()
                .sorted(Comparator.comparingInt((Integer b) -> -len[b]))
                .mapToInt(Integer::intValue).toArray();
        this.originalToSorted = new int[batch];
        this.sortedLengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            originalToSorted[sortedToOriginal[i]] = i;
            sortedLengths[i] = len[sortedToOriginal[i]];
        }
        this.active = new int[steps];
        for (int t = 0; t < steps; t++) {
            int count = 0;
            while (count < batch && sortedLengths[count] > t) {
                count++;
            }
            active[t] = count;
        }
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    int steps() {
        return steps;
    }

    int batch() {
        return batch;
    }

    /** Number of sequences running at step {@code t}: they are sorted rows {@code 0 .. active(t)-1}. */
    int active(int t) {
        return active[t];
    }

    /**
     * The rows running at each step from {@code first} on, for the SPI's whole-sequence calls: null where every step
     * works on the whole batch.
     */
    int[] activeRows(int first) {
        return allFullLength() ? null : Arrays.copyOfRange(active, first, steps);
    }

    /** Whether every sequence runs all {@code T} steps (every step works on the whole batch). */
    boolean allFullLength() {
        return active[steps - 1] == batch;
    }

    /** The length of the sequence in sorted row {@code i}. */
    int sortedLength(int i) {
        return sortedLengths[i];
    }

    /**
     * Row indices for {@code gatherRows} from original order into sorted order over {@code blocks} blocks of
     * {@code batch} rows: sorted row {@code k*B + i} reads original row {@code k*B + sortedToOriginal[i]}.
     */
    int[] toSorted(int blocks) {
        return blockIndices(blocks, 0, sortedToOriginal);
    }

    /** Row indices for {@code gatherRows} from sorted order back into original order over {@code blocks} blocks. */
    int[] toOriginal(int blocks) {
        return blockIndices(blocks, 0, originalToSorted);
    }

    /** Indices that gather block {@code block} of a {@code [blocks*B, F]} original-order tensor into sorted order. */
    int[] blockToSorted(int block) {
        return blockIndices(1, block, sortedToOriginal);
    }

    /** Indices that gather a sorted {@code [B, F]} block into original order. */
    int[] blockToOriginal() {
        return originalToSorted.clone();
    }

    private int[] blockIndices(int blocks, int firstBlock, int[] map) {
        int[] idx = new int[blocks * batch];
        for (int k = 0; k < blocks; k++) {
            for (int i = 0; i < batch; i++) {
                idx[k * batch + i] = (firstBlock + k) * batch + map[i];
            }
        }
        return idx;
    }
}
