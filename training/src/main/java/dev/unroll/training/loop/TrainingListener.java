package dev.unroll.training.loop;

/** Observes training: a progress bar, a loss chart, a log. Called on the training thread. */
public interface TrainingListener {

    /** After every optimizer step. */
    default void onStep(StepReport report) {
    }

    /** After every epoch, with the validation metrics. */
    default void onEpoch(EpochReport report) {
    }
}
