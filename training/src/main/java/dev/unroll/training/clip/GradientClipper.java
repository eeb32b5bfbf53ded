package dev.unroll.training.clip;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;
import dev.unroll.training.nn.NamedParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gradient clipping, applied between backward and the optimizer step. Every mode first measures the global L2
 * norm of all gradients (in double, from the backend's sum of squares) and reports it, so a progress display
 * sees the norm before clipping.
 * <ul>
 *   <li>{@link Mode#NONE}: measure only;</li>
 *   <li>{@link Mode#GLOBAL_NORM}: {@code g <- min(1, threshold / |g|) g}, with {@code |g|} over all
 *       parameters together, so a clipped gradient has norm {@code threshold} (to rounding). PyTorch's
 *       {@code clip_grad_norm_} scales by {@code max_norm / (|g| + 1e-6)} instead (a relative
 *       {@code 1e-6 / |g|} smaller, and also below 1 when {@code |g|} is within {@code 1e-6} under the bound);
 *       it also scales a non-finite norm's gradients (to NaN or zero) where this leaves them alone;</li>
 *   <li>{@link Mode#VALUE}: every element clamped to {@code [-threshold, threshold]};</li>
 *   <li>{@link Mode#PER_LAYER}: the global-norm rule applied to each layer's gradients separately (a layer is a
 *       dense or embedding module, or one layer and direction of a recurrent stack: see {@link #layerOf}).</li>
 * </ul>
 * A non-finite norm changes nothing; the caller decides (the trainer stops).
 *
 * @param mode      the rule
 * @param threshold the norm bound ({@code GLOBAL_NORM}, {@code PER_LAYER}) or value bound ({@code VALUE})
 */
public record GradientClipper(Mode mode, double threshold) {
    private static final Pattern RECURRENT = Pattern.compile("^(.*?)(?:weight|bias)_(?:ih|hh)_(l\\d+(?:_reverse)?)$");
    private static final Pattern INITIAL_STATE = Pattern.compile("^(.*?)[hc]0_(l\\d+(?:_reverse)?)$");
    private static final Pattern MODULE = Pattern.compile("^(.*)\\.[^.]+$");

    public enum Mode { NONE, GLOBAL_NORM, VALUE, PER_LAYER }

    public GradientClipper {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.NONE && !(threshold > 0)) {
            throw new IllegalArgumentException("clipping threshold must be > 0, was " + threshold);
        }
    }

    public static GradientClipper none() {
        return new GradientClipper(Mode.NONE, 0);
    }

    public static GradientClipper globalNorm(double maxNorm) {
        return new GradientClipper(Mode.GLOBAL_NORM, maxNorm);
    }

    public static GradientClipper byValue(double limit) {
        return new GradientClipper(Mode.VALUE, limit);
    }

    public static GradientClipper perLayer(double maxNorm) {
        return new GradientClipper(Mode.PER_LAYER, maxNorm);
    }

    /** Clips the gradients of {@code parameters} in place. */
    public ClipReport clip(List<NamedParameter> parameters) {
        double norm = globalNormOf(parameters);
        if (!Double.isFinite(norm)) {
            return new ClipReport(norm, false);
        }
        boolean clipped = switch (mode) {
            case NONE -> false;
            case GLOBAL_NORM -> scaleToNorm(parameters, norm);
            case VALUE -> clampValues(parameters);
            case PER_LAYER -> {
                boolean any = false;
                for (List<NamedParameter> layer : byLayer(parameters).values()) {
                    any |= scaleToNorm(layer, globalNormOf(layer));
                }
                yield any;
            }
        };
        return new ClipReport(norm, clipped);
    }

    /**
     * The global L2 norm of the gradients, in double. Where the sum of squares overflows although every gradient is
     * finite (FLOAT64 gradients above about 1e154), it is summed again over the gradients divided by their largest
     * magnitude and scaled back, as BLAS's {@code nrm2} does: an exploding but finite gradient gets its true norm,
     * so global-norm clipping scales it down instead of the step stopping on an infinite norm.
     */
    public static double globalNormOf(List<NamedParameter> parameters) {
        double sum = sumOfSquares(parameters);
        if (sum != Double.POSITIVE_INFINITY) {
            return Math.sqrt(sum);
        }
        double largest = 0;
        for (NamedParameter p : parameters) {
            largest = Math.max(largest, p.grad().backend().maxAbs(p.grad()));
        }
        if (!Double.isFinite(largest)) {
            return largest; // an infinite gradient: the norm is infinite indeed
        }
        double scaled = 0;
        for (NamedParameter p : parameters) {
            Backend be = p.grad().backend();
            try (Tensor t = be.allocate(p.grad().dtype(), p.grad().shape())) {
                be.scale(1 / largest, p.grad(), t);
                scaled += be.sumOfSquares(t);
            }
        }
        return largest * Math.sqrt(scaled);
    }

    private static double sumOfSquares(List<NamedParameter> parameters) {
        double sum = 0;
        for (NamedParameter p : parameters) {
            sum += p.grad().backend().sumOfSquares(p.grad());
        }
        return sum;
    }

    private boolean scaleToNorm(List<NamedParameter> parameters, double norm) {
        double coefficient = Math.min(1.0, threshold / norm);
        if (coefficient >= 1.0) {
            return false;
        }
        for (NamedParameter p : parameters) {
            Backend be = p.grad().backend();
            be.scale(coefficient, p.grad(), p.grad());
        }
        return true;
    }

    private boolean clampValues(List<NamedParameter> parameters) {
        boolean any = false;
        for (NamedParameter p : parameters) {
            Backend be = p.grad().backend();
            any |= be.maxAbs(p.grad()) > threshold;
            be.clamp(p.grad(), -threshold, threshold, p.grad());
        }
        return any;
    }

    /** Parameters grouped by {@link #layerOf}, in first-appearance order. */
    public static Map<String, List<NamedParameter>> byLayer(List<NamedParameter> parameters) {
        Map<String, List<NamedParameter>> groups = new LinkedHashMap<>();
        for (NamedParameter p : parameters) {
            groups.computeIfAbsent(layerOf(p.name()), k -> new java.util.ArrayList<>()).add(p);
        }
        return groups;
    }

    /**
     * The layer a parameter belongs to: {@code rnn.weight_ih_l1_reverse} and {@code rnn.bias_hh_l1_reverse}
     * are layer {@code rnn.l1_reverse}; {@code head.weight} is layer {@code head}.
     */
    public static String layerOf(String parameterName) {
        for (Pattern p : List.of(RECURRENT, INITIAL_STATE)) {
            Matcher m = p.matcher(parameterName);
            if (m.matches()) {
                return m.group(1) + m.group(2);
            }
        }
        Matcher m = MODULE.matcher(parameterName);
        return m.matches() ? m.group(1) : parameterName;
    }
}
