package dev.unroll.cells;

/**
 * Names the backward pass of a whole stack over one workspace's buffers, for
 * {@link dev.unroll.api.Backend#runRepeatable}: everything between copying the caller's gradients in and the
 * results out, for a full-length batch, is the same operations on the same tensors for the same options.
 *
 * @param workspace      the buffers the pass touches (compared by identity)
 * @param outputGradient whether dL/d(output) was given
 * @param windowStart    the first step truncated BPTT reaches
 * @param inputGradient  whether dL/dx is computed
 * @param dropout        whether the forward applied dropout masks, which the backward applies again
 */
record BackwardPassKey(Workspace workspace, boolean outputGradient, int windowStart, boolean inputGradient,
                       boolean dropout) {
}
