/** Losses with PyTorch's mean reduction: masked softmax cross-entropy and mean squared error. */
package dev.unroll.training.loss;
