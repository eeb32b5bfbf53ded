/** Checkpoint files: model, optimizer, configuration, progress and caller extras; atomic writes, SHA-256 verified reads. */
package dev.unroll.training.checkpoint;
