package dev.unroll.backend.cuda;

/** A CUDA driver call failed; the message names the call, the operation and the driver's error code. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaException(String message) {
        super(message);
    }
}
