package dev.unroll.cli.demo;

/**
 * The demo's defaults, chosen by measurement (see cli/README.md) so that on 2 CPU cores the whole demo takes
 * under 3 minutes, LSTM and GRU reach a test MSE below 0.01 and the vanilla RNN stays near the baseline.
 */
final class DemoDefaults {
    static final int LENGTH = 60;
    static final int HIDDEN = 32;
    static final int BATCH = 64;
    static final int STEPS = 1000;
    static final double LEARNING_RATE = 0.01;
    static final double CLIP = 1.0;
    static final int EVAL_EVERY = 50;
    static final int TEST_BATCHES = 8;
    static final long SEED = 1;

    private DemoDefaults() {
    }
}
