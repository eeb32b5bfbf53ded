package dev.unroll.backend.cuda;

import jcuda.driver.CUresult;

/** The device has no room for an allocation ({@code CUDA_ERROR_OUT_OF_MEMORY}), even after the pool was trimmed. */
public final class DeviceOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;

    DeviceOutOfMemoryException(String message) {
        super(message, CUresult.CUDA_ERROR_OUT_OF_MEMORY);
    }
}
