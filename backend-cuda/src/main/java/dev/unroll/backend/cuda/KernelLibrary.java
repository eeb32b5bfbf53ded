package dev.unroll.backend.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernels of every module, loaded into a device's primary context once per JVM and shared by all backend
 * instances on that device. Loading JIT-compiles the PTX for the GPU at hand, which costs far more than a
 * backend's other setup, and the conformance kit makes a fresh backend for every check. The library also holds
 * one reference to the primary context for the life of the JVM, so the context (and the modules in it) is not
 * destroyed and rebuilt between backends; the driver frees both when the process exits. A module that targets a
 * newer compute capability than the device's (the cluster kernels on a pre-Hopper GPU) is not loaded, and its
 * kernels are absent: {@link #has} says so, and the backend plans around them.
 */
final class KernelLibrary {
    private static final Map<Integer, KernelLibrary> BY_DEVICE = new HashMap<>();

    private final Map<Kernel, CUfunction> functions;
    private final SharedMemoryAllowance sharedMemory = new SharedMemoryAllowance();
    private final ClusterRefusals clusterRefusals = new ClusterRefusals();

    private KernelLibrary(Map<Kernel, CUfunction> functions) {
        this.functions = functions;
    }

    /** The library of device {@code ordinal}, loading it on first use with the primary context made current. */
    static synchronized KernelLibrary of(int ordinal, CUdevice device) {
        KernelLibrary library = BY_DEVICE.get(ordinal);
        if (library == null) {
            library = load(device);
            BY_DEVICE.put(ordinal, library);
        }
        return library;
    }

    /** The loaded entry of {@code kernel}. */
    CUfunction function(Kernel kernel) {
        CUfunction f = functions.get(kernel);
        if (f == null) {
            throw new IllegalStateException("kernel " + kernel.entry() + " is not loaded: its module '"
                    + kernel.module() + "' targets a newer compute capability than this device's");
        }
        return f;
    }

    /**
     * The loaded entry of {@code kernel}, allowed {@code sharedBytes} of dynamic shared memory (beyond the default
     * 48 KiB). The attribute is set only when a launch needs more than any instance had it allowed before: one driver
     * call fewer per launch, and never lowered under another instance's launches or recorded graphs.
     */
    CUfunction functionWithSharedMemory(Kernel kernel, int sharedBytes) {
        CUfunction f = function(kernel);
        sharedMemory.allow(kernel, sharedBytes, bytes -> CudaDevice.check(JCudaDriver.cuFuncSetAttribute(f,
                        CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes),
                "cuFuncSetAttribute(" + kernel.entry() + ", max dynamic shared " + bytes + ")"));
        return f;
    }

    /** The cluster launches the driver refused on this device, for every backend instance on it. */
    ClusterRefusals clusterRefusals() {
        return clusterRefusals;
    }

    /** Whether {@code kernel}'s module was loaded on this device. */
    boolean has(Kernel kernel) {
        return functions.containsKey(kernel);
    }

    private static KernelLibrary load(CUdevice device) {
        CUcontext context = new CUcontext();
        CudaDevice.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        try {
            CudaDevice.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            int computeCapability = 10 * attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                    + attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            Map<String, CUmodule> modules = new HashMap<>();
            for (String name : KernelModules.all()) {
                PtxResource ptx = PtxResource.load(name);
                if (ptx.requiredComputeCapability() > computeCapability) {
                    continue;
                }
                CUmodule module = new CUmodule();
                int result = JCudaDriver.cuModuleLoadData(module, ptx.imageBytes());
                if (result != CUresult.CUDA_SUCCESS) {
                    modules.values().forEach(JCudaDriver::cuModuleUnload);
                    throw new CudaException("cuModuleLoadData of kernel module '" + name + "' (PTX ISA "
                            + ptx.isaVersion() + ") failed with " + CUresult.stringFor(result) + " (" + result + ")", result);
                }
                modules.put(name, module);
            }
            Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
            for (Kernel k : Kernel.values()) {
                if (!modules.containsKey(k.module())) {
                    continue;
                }
                CUfunction f = new CUfunction();
                CudaDevice.check(JCudaDriver.cuModuleGetFunction(f, modules.get(k.module()), k.entry()),
                        "cuModuleGetFunction(" + k.module() + "." + k.entry() + ")");
                functions.put(k, f);
            }
            return new KernelLibrary(functions);
        } catch (RuntimeException e) {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        CudaDevice.check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
        return value[0];
    }
}
