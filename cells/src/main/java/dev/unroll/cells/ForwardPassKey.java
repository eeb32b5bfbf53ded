package dev.unroll.cells;

/**
 * Names the forward pass of a whole stack over one workspace's buffers, for
 * {@link dev.unroll.api.Backend#runRepeatable}: everything after the input and the given initial states are copied
 * in, for a full-length batch without dropout masks, is the same operations on the same tensors every time.
 *
 * @param workspace   the buffers the pass touches (compared by identity)
 * @param hiddenGiven whether the caller gave h0 (else the pass sets it to zero or the learned state)
 * @param cellGiven   whether the caller gave c0
 */
record ForwardPassKey(Workspace workspace, boolean hiddenGiven, boolean cellGiven) {
}
