package dev.unroll.cells;

/**
 * Names the forward pass of a whole stack over one workspace's buffers, for
 * {@link dev.unroll.api.Backend#runRepeatable}: everything after the input is copied in, for a full-length batch
 * without given initial states or dropout masks, is the same operations on the same tensors every time.
 *
 * @param workspace the buffers the pass touches (compared by identity)
 */
record ForwardPassKey(Workspace workspace) {
}
