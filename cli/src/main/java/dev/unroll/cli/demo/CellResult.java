package dev.unroll.cli.demo;

/**
 * What training one cell on the adding problem gave.
 *
 * @param cell                  the cell's id (rnn_tanh, lstm, gru)
 * @param testMse               the final mean squared error on the held-out batches
 * @param solved                whether {@code testMse} is below {@link AddingDemo#SOLVED_MSE}
 * @param trainSeconds          wall-clock time of the training loop
 * @param trainLoss             {@code [trainSteps]} the loss of every training batch
 * @param gradientNorm          {@code [trainSteps]} the global gradient norm of every step, before clipping
 * @param evaluatedAt           the steps after which the test MSE was measured
 * @param testMseCurve          the test MSE at those steps
 * @param inputGradientAtStart  {@code [T]} mean {@code ||dL/dx_t||} per input step with the initial weights
 * @param inputGradientAtEnd    {@code [T]} the same after training
 */
record CellResult(String cell, double testMse, boolean solved, double trainSeconds, double[] trainLoss,
                  double[] gradientNorm, int[] evaluatedAt, double[] testMseCurve, double[] inputGradientAtStart,
                  double[] inputGradientAtEnd) {
}
