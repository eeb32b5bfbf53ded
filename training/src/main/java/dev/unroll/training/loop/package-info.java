/** The training loop: epochs, seeded batch order, truncated BPTT, listeners, validation, checkpoints, non-finite stops. */
package dev.unroll.training.loop;
