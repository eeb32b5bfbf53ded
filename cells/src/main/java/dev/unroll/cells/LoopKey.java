package dev.unroll.cells;

/**
 * Names one step loop of one layer and direction over one workspace's buffers, for
 * {@link dev.unroll.api.Backend#runRepeatable}: the same key means the same operations on the same tensors. Only
 * loops over full-length batches are keyed (a variable-length batch's row prefixes change from batch to batch).
 *
 * @param workspace      the buffers the loop touches (compared by identity)
 * @param backward       the BPTT loop rather than the forward one
 * @param outputGradient backward: whether dL/d(output) is added at each step
 * @param windowStart    backward: the first step truncated BPTT reaches
 */
record LoopKey(Workspace workspace, int layer, int direction, boolean backward, boolean outputGradient,
               int windowStart) {
}
