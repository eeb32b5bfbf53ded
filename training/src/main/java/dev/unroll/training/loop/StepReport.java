package dev.unroll.training.loop;

/**
 * One optimizer step, for progress bars and charts.
 *
 * @param epoch        0-based epoch
 * @param batch        0-based batch within the epoch
 * @param batches      batches in this epoch
 * @param step         optimizer steps done so far, this one included (1-based)
 * @param loss         the mean loss of the step's batch (or TBPTT window), before the update
 * @param gradientNorm the global L2 norm of the gradients before clipping
 * @param clipped      whether clipping changed the gradients
 * @param learningRate the rate used for this step
 */
public record StepReport(int epoch, int batch, int batches, long step, double loss, double gradientNorm,
                         boolean clipped, double learningRate) {
}
