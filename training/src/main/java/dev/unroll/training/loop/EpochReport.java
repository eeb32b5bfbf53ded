package dev.unroll.training.loop;

import java.util.Map;

/**
 * The end of an epoch.
 *
 * @param epoch       0-based epoch just finished
 * @param meanLoss    mean of the epoch's step losses (over the steps run in this process, if resumed mid-epoch)
 * @param steps       optimizer steps done so far
 * @param validation  the metrics of the validation hook, by name (empty without one)
 */
public record EpochReport(int epoch, double meanLoss, long steps, Map<String, Double> validation) {
    public EpochReport {
        validation = Map.copyOf(validation);
    }
}
