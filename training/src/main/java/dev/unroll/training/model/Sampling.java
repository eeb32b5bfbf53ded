package dev.unroll.training.model;

import dev.unroll.training.nn.SeededRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How the next token is drawn from a model's logits: softmax of {@code logits / temperature} restricted to the
 * {@code topK} most likely tokens. Temperature 0 means greedy (the most likely token).
 *
 * @param temperature {@code >= 0}; below 1 sharpens, above 1 flattens the distribution
 * @param topK        keep only the {@code topK} most likely tokens; 0 keeps all
 * @param seed        seed of the draws: the same seed gives the same sample
 */
public record Sampling(double temperature, int topK, long seed) {

    public Sampling {
        if (!(temperature >= 0) || topK < 0) {
            throw new IllegalArgumentException("temperature must be >= 0 and topK >= 0, were " + temperature
                    + ", " + topK);
        }
    }

    public static Sampling greedy() {
        return new Sampling(0, 0, 0);
    }

    /** Draws one token index from {@code logits} using {@code random}. */
    public int draw(double[] logits, SeededRandom random) {
        if (temperature == 0) {
            return argmax(logits);
        }
        int k = topK == 0 ? logits.length : Math.min(topK, logits.length);
        // Stable order (ties by index) keeps the draw identical on every backend and run.
        Integer[] order = IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                .toArray(Integer[]::new);
        double max = logits[order[0]];
        double[] weights = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            weights[i] = Math.exp((logits[order[i]] - max) / temperature);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < k; i++) {
            u -= weights[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[k - 1];
    }

    /** Index of the largest value (the first of ties). */
    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** {@code log softmax(logits)}, computed stably. */
    public static double[] logSoftmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElse(0);
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double logSum = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logSum;
        }
        return out;
    }
}
