package dev.unroll.training.loop;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end of an epoch.
 *
 * @param epoch       0-based epoch just finished
 * @param meanLoss    mean of the epoch's step losses (over the steps run in this process, if resumed mid-epoch)
 * @param steps       optimizer steps done so far
 * @param validation  the metrics of the validation hook, by name, in the hook's order (empty without one)
 */
public record EpochReport(int epoch, double meanLoss, long steps, Map<String, Double> validation) {
    public EpochReport {
        // Not Map.copyOf, whose order changes between runs: reports print and write the metrics in this order.
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }
}
