/** Building blocks with trainable parameters: {@link dev.unroll.training.nn.Dense}, {@link dev.unroll.training.nn.Embedding}, the shared {@link dev.unroll.training.nn.NamedParameter}, state dicts and a checkpointable RNG. */
package dev.unroll.training.nn;
