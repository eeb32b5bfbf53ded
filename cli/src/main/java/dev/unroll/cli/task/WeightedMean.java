package dev.unroll.cli.task;

/** A mean of per-batch means, each weighted by how many items (targets, examples) it averaged. */
final class WeightedMean {
    private double sum;
    private double weight;

    void add(double batchMean, double count) {
        sum += batchMean * count;
        weight += count;
    }

    double mean() {
        return weight == 0 ? Double.NaN : sum / weight;
    }
}
