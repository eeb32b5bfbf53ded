package dev.unroll.training.loop;

/**
 * Training stopped because the loss or a gradient became NaN or infinite. Nothing was updated with the bad
 * values, and the last checkpoint written before is left as it was.
 */
public final class NonFiniteTrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteTrainingException(String message) {
        super(message);
    }
}
