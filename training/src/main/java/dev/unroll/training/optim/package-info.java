/** Optimizers with torch.optim semantics (SGD and RMSProp with optional momentum, Adam; coupled weight decay), their checkpointable state, and learning-rate schedules. */
package dev.unroll.training.optim;
