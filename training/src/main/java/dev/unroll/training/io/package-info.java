/** Host-side tensors and the safetensors format, for exchanging weights with PyTorch. */
package dev.unroll.training.io;
