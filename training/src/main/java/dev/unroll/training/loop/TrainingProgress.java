package dev.unroll.training.loop;

/**
 * Where a run stands, and the state of its randomness: enough, with the model and the optimizer state, to
 * continue exactly as an uninterrupted run would. The batch order is drawn from the seed and epoch alone, and
 * dropout masks from the count of training passes, so no generator state beyond these numbers exists.
 *
 * @param epoch          the epoch under way (0-based)
 * @param nextBatch      the next batch to train within that epoch (0-based)
 * @param batchesDone    batches trained so far, all epochs together
 * @param trainingPasses training forward passes each recurrent stack ran (dropout masks follow it)
 */
public record TrainingProgress(int epoch, int nextBatch, long batchesDone, long trainingPasses) {
    public static TrainingProgress start() {
        return new TrainingProgress(0, 0, 0, 0);
    }
}
