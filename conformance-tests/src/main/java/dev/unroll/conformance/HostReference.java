package dev.unroll.conformance;

import dev.unroll.api.Activation;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The float64 oracle for the primitives: each operation written from its definition in the
 * {@link dev.unroll.api.Backend} Javadoc, with naive loops, so it can be checked by reading. Every method
 * returns a new tensor and leaves its arguments alone.
 */
public final class HostReference {
    private HostReference() {
    }

    /** {@code alpha * op(a) * op(b) + beta * c}; with {@code beta == 0}, {@code c} is not read at all. */
    public static HostTensor gemm(boolean transA, boolean transB, double alpha, HostTensor a, HostTensor b,
                                  double beta, HostTensor c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int n = transB ? b.rows() : b.cols();
        HostTensor out = HostTensor.zeros(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    double ail = transA ? a.get(l, i) : a.get(i, l);
                    double blj = transB ? b.get(j, l) : b.get(l, j);
                    sum += ail * blj;
                }
                out.set(i, j, beta == 0 ? alpha * sum : alpha * sum + beta * c.get(i, j));
            }
        }
        return out;
    }

    /** {@code f(x)} element by element, keeping x's shape. */
    public static HostTensor map(HostTensor x, DoubleUnaryOperator f) {
        double[] v = new double[x.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(x.values()[i]);
        }
        return new HostTensor(x.shape(), v);
    }

    /** {@code f(a, b)} element by element, keeping a's shape. */
    public static HostTensor zip(HostTensor a, HostTensor b, DoubleBinaryOperator f) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(a.values()[i], b.values()[i]);
        }
        return new HostTensor(a.shape(), v);
    }

    /** {@code min(max(x, lo), hi)}, NaN staying NaN. */
    public static double clamp(double x, double lo, double hi) {
        if (Double.isNaN(x)) {
            return x;
        }
        return x < lo ? lo : x > hi ? hi : x;
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    public static double activate(Activation f, double x) {
        return switch (f) {
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0;
        };
    }

    /** The derivative of {@code f} at the point where its output is {@code y}. */
    public static double derivativeFromOutput(Activation f, double y) {
        return switch (f) {
            case TANH -> 1 - y * y;
            case SIGMOID -> y * (1 - y);
            case RELU -> y > 0 ? 1 : 0;
        };
    }

    public static HostTensor activate(Activation f, HostTensor x) {
        return map(x, v -> activate(f, v));
    }

    /** {@code dy * f'(x)} with {@code f'} computed from the output {@code y}. */
    public static HostTensor activateBackward(Activation f, HostTensor y, HostTensor dy) {
        return zip(y, dy, (yv, dyv) -> dyv * derivativeFromOutput(f, yv));
    }

    /** {@code m[i, j] + row[j]}. */
    public static HostTensor addRowVector(HostTensor m, HostTensor row) {
        HostTensor out = HostTensor.zeros(m.shape());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out.set(i, j, m.get(i, j) + row.values()[j]);
            }
        }
        return out;
    }

    /** {@code m[i, j] * column[i]}. */
    public static HostTensor mulColumnVector(HostTensor m, HostTensor column) {
        HostTensor out = HostTensor.zeros(m.shape());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out.set(i, j, m.get(i, j) * column.values()[i]);
            }
        }
        return out;
    }

    /** {@code beta * out[j] + sum_i m[i, j]}, in out's shape. */
    public static HostTensor columnSums(HostTensor m, double beta, HostTensor out) {
        double[] v = new double[out.size()];
        for (int j = 0; j < m.cols(); j++) {
            double sum = 0;
            for (int i = 0; i < m.rows(); i++) {
                sum += m.get(i, j);
            }
            v[j] = beta * out.values()[j] + sum;
        }
        return new HostTensor(out.shape(), v);
    }

    public static double sumOfSquares(HostTensor t) {
        double sum = 0;
        for (double x : t.values()) {
            sum += x * x;
        }
        return sum;
    }

    /** The largest |x|, or NaN if any element is NaN. */
    public static double maxAbs(HostTensor t) {
        double max = 0;
        for (double x : t.values()) {
            if (Double.isNaN(x)) {
                return Double.NaN;
            }
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    /** {@code out[i, :] = table[indices[i], :]}. */
    public static HostTensor gatherRows(HostTensor table, int[] indices) {
        HostTensor out = HostTensor.zeros(indices.length, table.cols());
        for (int i = 0; i < indices.length; i++) {
            for (int j = 0; j < table.cols(); j++) {
                out.set(i, j, table.get(indices[i], j));
            }
        }
        return out;
    }

    /** {@code table[indices[i], :] += src[i, :]}, repeats accumulating. */
    public static HostTensor scatterAddRows(HostTensor src, int[] indices, HostTensor table) {
        HostTensor out = table.copy();
        for (int i = 0; i < indices.length; i++) {
            for (int j = 0; j < table.cols(); j++) {
                out.set(indices[i], j, out.get(indices[i], j) + src.get(i, j));
            }
        }
        return out;
    }

    /** Row-wise softmax, computed after subtracting the row maximum so large logits stay finite. */
    public static HostTensor softmax(HostTensor logits) {
        HostTensor out = HostTensor.zeros(logits.shape());
        for (int i = 0; i < logits.rows(); i++) {
            double max = rowMax(logits, i);
            double sum = 0;
            for (int j = 0; j < logits.cols(); j++) {
                sum += Math.exp(logits.get(i, j) - max);
            }
            for (int j = 0; j < logits.cols(); j++) {
                out.set(i, j, Math.exp(logits.get(i, j) - max) / sum);
            }
        }
        return out;
    }

    /** {@code -sum_i log softmax(logits)[i, targets[i]]} over rows with a target that is not negative. */
    public static double crossEntropy(HostTensor logits, int[] targets) {
        double loss = 0;
        for (int i = 0; i < logits.rows(); i++) {
            if (targets[i] < 0) {
                continue;
            }
            double max = rowMax(logits, i);
            double sum = 0;
            for (int j = 0; j < logits.cols(); j++) {
                sum += Math.exp(logits.get(i, j) - max);
            }
            // log p = (x_t - max) - log(sum): no exp of a large number, no log of a tiny one
            loss -= (logits.get(i, targets[i]) - max) - Math.log(sum);
        }
        return loss;
    }

    /** {@code scale * (p[i, :] - onehot(targets[i]))}, zero rows for negative targets. */
    public static HostTensor softmaxCrossEntropyBackward(HostTensor probabilities, int[] targets, double scale) {
        HostTensor out = HostTensor.zeros(probabilities.shape());
        for (int i = 0; i < probabilities.rows(); i++) {
            if (targets[i] < 0) {
                continue;
            }
            for (int j = 0; j < probabilities.cols(); j++) {
                double onehot = j == targets[i] ? 1 : 0;
                out.set(i, j, scale * (probabilities.get(i, j) - onehot));
            }
        }
        return out;
    }

    private static double rowMax(HostTensor m, int row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m.cols(); j++) {
            max = Math.max(max, m.get(row, j));
        }
        return max;
    }
}
