/** Gradient clipping by global norm, by value and per layer, reporting the norm before clipping. */
package dev.unroll.training.clip;
