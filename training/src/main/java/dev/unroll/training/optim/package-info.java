/** Optimizers with torch.optim semantics (SGD with momentum, Adam, RMSProp; coupled weight decay), their checkpointable state, and learning-rate schedules. */
package dev.unroll.training.optim;
