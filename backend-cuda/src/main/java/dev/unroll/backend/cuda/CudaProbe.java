package dev.unroll.backend.cuda;

import dev.unroll.api.spi.Availability;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.Optional;

/**
 * Decides whether the CUDA backend can run on this machine, from the cheapest check to the most specific:
 * the driver binding loads ({@code libcuda.so.1} present), {@code cuInit} succeeds, the configured device
 * exists, it is compute capability 8.0 or newer, and the driver is new enough to JIT the committed PTX.
 * Never throws: every failure becomes an {@link Availability} with the reason.
 */
final class CudaProbe {
    private CudaProbe() {
    }

    static Availability check(int deviceOrdinal) {
        Optional<Throwable> loadFailure = DriverLibrary.loadFailure();
        if (loadFailure.isPresent()) {
            return Availability.no(AvailabilityReasons.loadFailure(loadFailure.get()));
        }
        try {
            return checkDriver(deviceOrdinal);
        } catch (LinkageError | RuntimeException e) {
            return Availability.no("the CUDA availability check failed: " + e);
        }
    }

    private static Availability checkDriver(int deviceOrdinal) {
        int result = JCudaDriver.cuInit(0);
        if (result != CUresult.CUDA_SUCCESS) {
            return Availability.no(AvailabilityReasons.initFailure(result, CUresult.stringFor(result)));
        }
        int[] count = new int[1];
        result = JCudaDriver.cuDeviceGetCount(count);
        if (result != CUresult.CUDA_SUCCESS) {
            return Availability.no(AvailabilityReasons.callFailure("cuDeviceGetCount", result, CUresult.stringFor(result)));
        }
        if (deviceOrdinal < 0 || deviceOrdinal >= count[0]) {
            return Availability.no(AvailabilityReasons.noSuchDevice(deviceOrdinal, count[0]));
        }
        CUdevice device = new CUdevice();
        result = JCudaDriver.cuDeviceGet(device, deviceOrdinal);
        if (result != CUresult.CUDA_SUCCESS) {
            return Availability.no(AvailabilityReasons.callFailure("cuDeviceGet", result, CUresult.stringFor(result)));
        }
        int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        if (major < KernelModules.MIN_COMPUTE_MAJOR) {
            return Availability.no(AvailabilityReasons.computeCapabilityTooLow(deviceName(device), major, minor));
        }
        int[] driverVersion = new int[1];
        result = JCudaDriver.cuDriverGetVersion(driverVersion);
        if (result != CUresult.CUDA_SUCCESS) {
            return Availability.no(AvailabilityReasons.callFailure("cuDriverGetVersion", result, CUresult.stringFor(result)));
        }
        PtxResource ptx = KernelModules.newestIsa();
        if (driverVersion[0] < ptx.requiredDriverVersion()) {
            return Availability.no(AvailabilityReasons.driverTooOld(driverVersion[0], ptx.requiredDriverVersion(),
                    ptx.isaVersion()));
        }
        return Availability.yes();
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        int result = JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(AvailabilityReasons.callFailure("cuDeviceGetAttribute(" + attribute + ")", result,
                    CUresult.stringFor(result)), result);
        }
        return value[0];
    }

    static String deviceName(CUdevice device) {
        byte[] name = new byte[256];
        if (JCudaDriver.cuDeviceGetName(name, name.length, device) != CUresult.CUDA_SUCCESS) {
            return "device";
        }
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
