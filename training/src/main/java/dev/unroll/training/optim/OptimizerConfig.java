package dev.unroll.training.optim;

import java.util.Locale;
import java.util.Objects;

/**
 * Which optimizer and its hyperparameters, with PyTorch's defaults. Weight decay is the coupled L2 form of
 * {@code torch.optim} ({@code g <- g + weightDecay * param}) for every kind.
 *
 * @param kind         the algorithm
 * @param learningRate the base learning rate (a {@link LearningRateSchedule} scales it per step)
 * @param momentum     SGD's and RMSProp's momentum ({@code 0} disables the buffer); Adam has none (its
 *                     {@code beta1} plays that part), so it must be {@code 0} there
 * @param beta1        Adam's first-moment decay
 * @param beta2        Adam's second-moment decay
 * @param epsilon      Adam's and RMSProp's denominator guard
 * @param alpha        RMSProp's square-average decay
 * @param weightDecay  L2 penalty coefficient
 */
public record OptimizerConfig(Kind kind, double learningRate, double momentum, double beta1, double beta2,
                              double epsilon, double alpha, double weightDecay) {

    /** The algorithms, by their command-line names. */
    public enum Kind {
        SGD, ADAM, RMSPROP;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code sgd}, {@code adam} or {@code rmsprop} (any case). */
        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown optimizer '" + id + "'; known: sgd, adam, rmsprop");
        }
    }

    public OptimizerConfig {
        Objects.requireNonNull(kind, "kind");
        if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, was " + learningRate);
        }
        requireNonNegative("momentum", momentum);
        requireNonNegative("epsilon", epsilon);
        requireNonNegative("weightDecay", weightDecay);
        // A decay of 1 never forgets (and divides by 1 - beta^t = 0 in Adam's bias correction), so NaN
        // parameters would follow and the trainer would stop with advice about the learning rate instead.
        requireDecay("beta1", beta1);
        requireDecay("beta2", beta2);
        requireDecay("alpha", alpha);
        // torch.optim.Adam takes no momentum; ignoring one would train differently from what was asked.
        if (kind == Kind.ADAM && momentum != 0) {
            throw new IllegalArgumentException("momentum must be 0 for adam (beta1 is its momentum), was "
                    + momentum);
        }
    }

    // Written as !(in range) so that NaN, which fails every comparison, is rejected too.
    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
        }
    }

    private static void requireDecay(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
        }
    }

    /** {@code torch.optim.SGD(lr, momentum)}. */
    public static OptimizerConfig sgd(double learningRate, double momentum) {
        return new OptimizerConfig(Kind.SGD, learningRate, momentum, 0.9, 0.999, 1e-8, 0.99, 0);
    }

    /** {@code torch.optim.Adam(lr)}: betas (0.9, 0.999), eps 1e-8. */
    public static OptimizerConfig adam(double learningRate) {
        return new OptimizerConfig(Kind.ADAM, learningRate, 0, 0.9, 0.999, 1e-8, 0.99, 0);
    }

    /** {@code torch.optim.RMSprop(lr)}: alpha 0.99, eps 1e-8, no momentum ({@link #withMomentum} adds it). */
    public static OptimizerConfig rmsprop(double learningRate) {
        return new OptimizerConfig(Kind.RMSPROP, learningRate, 0, 0.9, 0.999, 1e-8, 0.99, 0);
    }

    /** The defaults of {@code kind} at this learning rate. */
    public static OptimizerConfig of(Kind kind, double learningRate) {
        return switch (kind) {
            case SGD -> sgd(learningRate, 0);
            case ADAM -> adam(learningRate);
            case RMSPROP -> rmsprop(learningRate);
        };
    }

    public OptimizerConfig withWeightDecay(double value) {
        return new OptimizerConfig(kind, learningRate, momentum, beta1, beta2, epsilon, alpha, value);
    }

    public OptimizerConfig withMomentum(double value) {
        return new OptimizerConfig(kind, learningRate, value, beta1, beta2, epsilon, alpha, weightDecay);
    }

    public OptimizerConfig withLearningRate(double value) {
        return new OptimizerConfig(kind, value, momentum, beta1, beta2, epsilon, alpha, weightDecay);
    }

    /** A new optimizer of this kind with empty state. */
    public Optimizer create() {
        return switch (kind) {
            case SGD -> new Sgd(this);
            case ADAM -> new Adam(this);
            case RMSPROP -> new RmsProp(this);
        };
    }
}
