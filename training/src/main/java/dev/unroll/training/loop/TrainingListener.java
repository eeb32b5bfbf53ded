package dev.unroll.training.loop;

import java.util.function.Consumer;

/** Observes training: a progress bar, a loss chart, a log. Called on the training thread. */
public interface TrainingListener {

    /** After every optimizer step. */
    default void onStep(StepReport report) {
    }

    /** After every epoch, with the validation metrics. */
    default void onEpoch(EpochReport report) {
    }

    /** A listener for steps only: {@code trainer.addListener(TrainingListener.onEachStep(r -> ...))}. */
    static TrainingListener onEachStep(Consumer<StepReport> action) {
        return new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                action.accept(report);
            }
        };
    }

    /** A listener for epochs only. */
    static TrainingListener onEachEpoch(Consumer<EpochReport> action) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
                action.accept(report);
            }
        };
    }
}
