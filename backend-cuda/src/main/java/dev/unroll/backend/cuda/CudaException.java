package dev.unroll.backend.cuda;

/** A CUDA driver call failed; the message names the call, the operation and the driver's error code. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The driver's result code ({@code CUresult}), or 0 where the failure is not one driver call's result. */
    private final int driverResult;

    CudaException(String message) {
        this(message, 0);
    }

    CudaException(String message, int driverResult) {
        super(message);
        this.driverResult = driverResult;
    }

    /** The driver's result code ({@code CUresult}) that failed, or 0 where the failure is not one driver call's. */
    public int driverResult() {
        return driverResult;
    }
}
