package dev.unroll.training.optim;

import java.util.Objects;

/**
 * How the learning rate changes with the optimizer step (0-based, counted across epochs).
 * <ul>
 *   <li>{@link #constant()}: the base rate throughout;</li>
 *   <li>{@link #step(long, double)}: {@code base * gamma^floor(step / stepSize)} (PyTorch's {@code StepLR},
 *       counted in optimizer steps);</li>
 *   <li>{@link #cosine(long, double)}: {@code min + (base - min) (1 + cos(pi * step / totalSteps)) / 2},
 *       PyTorch's {@code CosineAnnealingLR(T_max=totalSteps, eta_min=min)} up to {@code totalSteps}; from
 *       there on it stays at {@code min}, where PyTorch's keeps following the cosine back up towards
 *       {@code base} (a period of {@code 2 totalSteps}).</li>
 * </ul>
 *
 * @param kind       the shape of the schedule
 * @param stepSize   steps between decays ({@code STEP})
 * @param gamma      factor per decay ({@code STEP})
 * @param totalSteps length of the annealing ({@code COSINE})
 * @param minRate    the floor ({@code COSINE})
 */
public record LearningRateSchedule(Kind kind, long stepSize, double gamma, long totalSteps, double minRate) {

    public enum Kind { CONSTANT, STEP, COSINE }

    public LearningRateSchedule {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.STEP && stepSize < 1) {
            throw new IllegalArgumentException("step schedule: stepSize must be >= 1, was " + stepSize);
        }
        if (kind == Kind.COSINE && totalSteps < 1) {
            throw new IllegalArgumentException("cosine schedule: totalSteps must be >= 1, was " + totalSteps);
        }
        // written as !(in range) so that NaN, which fails every comparison, is rejected too: a NaN rate would
        // turn every parameter into NaN at the first step
        if (kind == Kind.STEP && !(gamma >= 0 && gamma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("step schedule: gamma must be finite and >= 0, was " + gamma);
        }
        if (kind == Kind.COSINE && !(minRate >= 0 && minRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("cosine schedule: minRate must be finite and >= 0, was " + minRate);
        }
    }

    public static LearningRateSchedule constant() {
        return new LearningRateSchedule(Kind.CONSTANT, 1, 1, 1, 0);
    }

    public static LearningRateSchedule step(long stepSize, double gamma) {
        return new LearningRateSchedule(Kind.STEP, stepSize, gamma, 1, 0);
    }

    public static LearningRateSchedule cosine(long totalSteps, double minRate) {
        return new LearningRateSchedule(Kind.COSINE, 1, 1, totalSteps, minRate);
    }

    /** The rate of optimizer step {@code step} (0-based) for base rate {@code base}. */
    public double rate(double base, long step) {
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, step / stepSize);
            case COSINE -> step >= totalSteps ? minRate
                    : minRate + (base - minRate) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
        };
    }
}
