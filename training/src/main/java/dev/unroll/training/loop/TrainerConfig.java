package dev.unroll.training.loop;

import dev.unroll.training.clip.GradientClipper;
import dev.unroll.training.optim.LearningRateSchedule;
import dev.unroll.training.optim.OptimizerConfig;
import java.util.Objects;

/**
 * How to train: stored in checkpoints so a resumed run continues with the same settings.
 *
 * @param epochs    passes over the data
 * @param seed      seed of the batch order (each epoch's order is drawn from {@code seed} and the epoch number)
 * @param shuffle   whether the {@link BatchSource} reorders the data every epoch
 * @param optimizer the optimizer and its base learning rate
 * @param schedule  how the learning rate changes with the optimizer step
 * @param clipper   gradient clipping (the norm is reported in every mode)
 * @param tbptt     truncated BPTT, or null for full BPTT
 */
public record TrainerConfig(int epochs, long seed, boolean shuffle, OptimizerConfig optimizer,
                            LearningRateSchedule schedule, GradientClipper clipper, TruncatedBptt tbptt) {

    public TrainerConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(clipper, "clipper");
    }

    /** Shuffled, constant learning rate, no clipping, full BPTT. */
    public static TrainerConfig of(int epochs, long seed, OptimizerConfig optimizer) {
        return new TrainerConfig(epochs, seed, true, optimizer, LearningRateSchedule.constant(),
                GradientClipper.none(), null);
    }

    public TrainerConfig withEpochs(int value) {
        return new TrainerConfig(value, seed, shuffle, optimizer, schedule, clipper, tbptt);
    }

    public TrainerConfig withShuffle(boolean value) {
        return new TrainerConfig(epochs, seed, value, optimizer, schedule, clipper, tbptt);
    }

    public TrainerConfig withSchedule(LearningRateSchedule value) {
        return new TrainerConfig(epochs, seed, shuffle, optimizer, value, clipper, tbptt);
    }

    public TrainerConfig withClipper(GradientClipper value) {
        return new TrainerConfig(epochs, seed, shuffle, optimizer, schedule, value, tbptt);
    }

    /** {@code value} null means full BPTT. */
    public TrainerConfig withTbptt(TruncatedBptt value) {
        return new TrainerConfig(epochs, seed, shuffle, optimizer, schedule, clipper, value);
    }
}
