package dev.unroll.backend.cuda;

import dev.unroll.api.spi.Availability;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUresult;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.List;

/**
 * One backend instance's hold on a GPU: the device's primary context, one stream every launch and copy is
 * ordered on, the loaded kernel modules, and the pool of device memory. All driver calls of the backend go
 * through here, so error checking, context binding and the "not while capturing" rule live in one place.
 *
 * <p>Ordering. Everything (kernels, copies in every direction, memsets) is enqueued on one non-blocking
 * stream, so it runs in program order without the host waiting. Host arrays are Java heap memory, which CUDA
 * treats as pageable: an upload ({@code cuMemcpyHtoDAsync}) returns once the driver has staged the values, so
 * the array may change right after; a download waits for the stream, because the caller reads the values at
 * once. Downloads and the scalar results of reductions are therefore the only points where the host waits for
 * the device; a sequence's forward and backward need none.
 */
final class CudaDevice implements AutoCloseable {
    private final CUdevice device;
    private final CUcontext context;
    private final CUstream stream;
    private final KernelLibrary kernels;
    private final DeviceMemoryPool<DevicePointer> memory;
    private final String name;
    private Thread boundThread;
    private boolean capturing;
    private boolean closed;

    private CudaDevice(CUdevice device, CUcontext context, CUstream stream, KernelLibrary kernels, String name) {
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.kernels = kernels;
        this.name = name;
        this.memory = new DeviceMemoryPool<>(new DeviceMemoryPool.Allocator<>() {
            @Override
            public DevicePointer allocate(long bytes) {
                DevicePointer p = new DevicePointer();
                check(JCudaDriver.cuMemAlloc(p, bytes), "cuMemAlloc(" + bytes + " bytes)");
                return p;
            }

            @Override
            public void free(DevicePointer block) {
                check(JCudaDriver.cuMemFree(block), "cuMemFree");
            }
        });
        this.boundThread = Thread.currentThread();
    }

    /** Opens device {@code ordinal}: fails with the availability reason if the backend cannot run here. */
    static CudaDevice open(int ordinal) {
        Availability availability = CudaProbe.check(ordinal);
        if (!availability.available()) {
            throw new IllegalStateException("the cuda backend is unavailable: " + availability.reason());
        }
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        // First: it keeps the primary context alive for the JVM, so the context made below is the one it lives in.
        KernelLibrary kernels = KernelLibrary.of(ordinal, device);
        CUcontext context = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        CUstream stream = null;
        try {
            check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            stream = new CUstream();
            // Non-blocking: no implicit ordering with the legacy default stream, whatever else runs in this process.
            check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            return new CudaDevice(device, context, stream, kernels, CudaProbe.deviceName(device));
        } catch (RuntimeException e) {
            if (stream != null) {
                JCudaDriver.cuStreamDestroy(stream);
            }
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    /** The device name, e.g. "NVIDIA H100 80GB HBM3". */
    String name() {
        return name;
    }

    DeviceMemoryPool<DevicePointer> memory() {
        return memory;
    }

    // ---------------------------------------------------------------- checks

    /** Makes the context current on the calling thread if another thread used it last (cheap otherwise). */
    void bind() {
        Thread current = Thread.currentThread();
        if (current != boundThread) {
            check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            boundThread = current;
        }
    }

    /** Throws for a driver call that failed: {@link DeviceOutOfMemoryException} where memory ran out. */
    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw failure(result, call);
        }
    }

    private static CudaException failure(int result, String call) {
        String message = call + " failed with " + CUresult.stringFor(result) + " (" + result + ")";
        return result == CUresult.CUDA_ERROR_OUT_OF_MEMORY ? new DeviceOutOfMemoryException(message)
                : new CudaException(message, result);
    }

    /**
     * Fails when {@code op} cannot be recorded into a graph: it waits for the device, talks to the host, allocates,
     * or is itself a capture or a replay.
     */
    void requireNotCapturing(String op) {
        if (capturing) {
            throw new IllegalStateException(op + " cannot run inside a StepGraph capture, which records only device"
                    + " work that needs no host: do it before capturing, or outside the captured work.");
        }
    }

    boolean isCapturing() {
        return capturing;
    }

    // ---------------------------------------------------------------- launches

    /**
     * Enqueues a kernel on the stream. Arguments, in the kernel's order: a {@link Long} is a device address (a
     * pointer parameter; see {@link DevicePointer} for why addresses and not pointer objects), an
     * {@link Integer} an {@code int}, a {@link Float} a {@code float}, a {@link Double} a {@code double}.
     */
    void launch(Kernel kernel, LaunchConfig config, Object... args) {
        bind();
        check(JCudaDriver.cuLaunchKernel(kernels.function(kernel), config.gridX(), config.gridY(), 1, config.blockX(),
                config.blockY(), 1, 0, stream, Pointer.to(parameters(kernel, args)), null),
                "cuLaunchKernel(" + kernel.entry() + ")");
    }

    /** The kernel parameter array: one pointer per argument to a one-element array holding its value. */
    private static Pointer[] parameters(Kernel kernel, Object... args) {
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long address) {
                params[i] = Pointer.to(new long[] {address});
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else if (a instanceof Double v) {
                params[i] = Pointer.to(new double[] {v});
            } else {
                throw new IllegalArgumentException(kernel.entry() + ": unsupported argument " + i + ": " + a);
            }
        }
        return params;
    }

    /**
     * Enqueues an ordinary launch with {@code sharedBytes} of dynamic shared memory (a cluster kernel, whose cluster
     * shape is compiled in); arguments as for {@link #launch}.
     */
    void launchWithSharedMemory(Kernel kernel, LaunchConfig config, int sharedBytes, Object... args) {
        bind();
        CUfunction f = kernels.functionWithSharedMemory(kernel, sharedBytes);
        check(JCudaDriver.cuLaunchKernel(f, config.gridX(), config.gridY(), 1, config.blockX(), config.blockY(), 1,
                sharedBytes, stream, Pointer.to(parameters(kernel, args)), null), "cuLaunchKernel(" + kernel.entry() + ")");
    }

    /**
     * Enqueues a cooperative launch (all blocks resident at once, for grid-wide barriers) with
     * {@code sharedBytes} of dynamic shared memory; arguments as for {@link #launch}.
     */
    void launchCooperative(Kernel kernel, LaunchConfig config, int sharedBytes, Object... args) {
        bind();
        CUfunction f = kernels.functionWithSharedMemory(kernel, sharedBytes);
        check(JCudaDriver.cuLaunchCooperativeKernel(f, config.gridX(), config.gridY(), 1, config.blockX(),
                config.blockY(), 1, sharedBytes, stream, Pointer.to(parameters(kernel, args))),
                "cuLaunchCooperativeKernel(" + kernel.entry() + ")");
    }

    /** The cluster launches the driver refused on this device (shared by every instance on it). */
    ClusterRefusals clusterRefusals() {
        return kernels.clusterRefusals();
    }

    /** How many blocks of {@code kernel} fit on one multiprocessor with this block size and shared memory. */
    int residentBlocksPerMultiprocessor(Kernel kernel, int threads, int sharedBytes) {
        bind();
        CUfunction f = kernels.functionWithSharedMemory(kernel, sharedBytes);
        int[] blocks = new int[1];
        check(JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(blocks, f, threads, sharedBytes),
                "cuOccupancyMaxActiveBlocksPerMultiprocessor(" + kernel.entry() + ")");
        return blocks[0];
    }

    /** The limits the persistent kernels plan with. */
    DeviceLimits limits() {
        bind();
        return new DeviceLimits(
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH) != 0,
                kernels.has(Kernel.LSTM_CLUSTER_FORWARD));
    }

    private int attribute(int attribute) {
        int[] value = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
        return value[0];
    }

    // ---------------------------------------------------------------- memory and copies

    /** Enqueues {@code count} 32-bit words of {@code bits} at {@code p + byteOffset}. */
    void memset32(DevicePointer p, long byteOffset, int bits, long count) {
        bind();
        check(JCudaDriver.cuMemsetD32Async(p.at(byteOffset), bits, count, stream), "cuMemsetD32Async");
    }

    /** Enqueues a device-to-device copy of {@code bytes}; the regions must not overlap. */
    void copy(DevicePointer src, long srcOffset, DevicePointer dst, long dstOffset, long bytes) {
        bind();
        check(JCudaDriver.cuMemcpyDtoDAsync(dst.at(dstOffset), src.at(srcOffset), bytes, stream), "cuMemcpyDtoDAsync");
    }

    /**
     * Enqueues a copy of host values to the device. Returns once the driver has staged them (pageable host
     * memory), so {@code host} may be reused at once.
     */
    void upload(Pointer host, DevicePointer dst, long dstOffset, long bytes, String op) {
        requireNotCapturing(op);
        bind();
        check(JCudaDriver.cuMemcpyHtoDAsync(dst.at(dstOffset), host, bytes, stream), "cuMemcpyHtoDAsync (" + op + ")");
    }

    /** Copies device values to the host after the work already enqueued, and waits for them. */
    void download(DevicePointer src, long srcOffset, Pointer host, long bytes, String op) {
        requireNotCapturing(op);
        bind();
        check(JCudaDriver.cuMemcpyDtoHAsync(host, src.at(srcOffset), bytes, stream), "cuMemcpyDtoHAsync (" + op + ")");
        // A copy to pageable memory already returns when done; the wait makes that explicit and reports an
        // asynchronous kernel fault here, at the first point the host looks at results.
        synchronize();
    }

    /** Waits until everything enqueued so far has run; reports an asynchronous kernel fault if there was one. */
    void synchronize() {
        bind();
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** {free, total} device memory in bytes, as {@code cuMemGetInfo} reports it. */
    long[] memoryInfo() {
        bind();
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    // ---------------------------------------------------------------- graphs

    /**
     * Records what {@code work} enqueues into a CUDA graph instead of running it, and instantiates the graph.
     * Relaxed capture mode, so the memory pool may still grow scratch buffers during the capture; host copies
     * are refused by {@link #requireNotCapturing}.
     */
    CUgraphExec capture(Runnable work) {
        requireNotCapturing("a nested capture");
        bind();
        synchronize();
        check(JCudaDriver.cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED),
                "cuStreamBeginCapture");
        capturing = true;
        CUgraph graph = new CUgraph();
        RuntimeException failure = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            capturing = false;
            int ended = JCudaDriver.cuStreamEndCapture(stream, graph);
            if (failure == null && ended != CUresult.CUDA_SUCCESS) {
                failure = failure(ended, "cuStreamEndCapture");
            }
        }
        if (failure != null) {
            JCudaDriver.cuGraphDestroy(graph);
            throw failure;
        }
        CUgraphExec exec = new CUgraphExec();
        int result = JCudaDriver.cuGraphInstantiate(exec, graph, 0);
        // The executable graph is a copy: the template can go now.
        JCudaDriver.cuGraphDestroy(graph);
        check(result, "cuGraphInstantiate");
        return exec;
    }

    /** Enqueues a replay of a captured graph on the stream. */
    void replay(CUgraphExec exec) {
        requireNotCapturing("replaying a StepGraph");
        bind();
        check(JCudaDriver.cuGraphLaunch(exec, stream), "cuGraphLaunch");
    }

    void destroy(CUgraphExec exec) {
        bind();
        check(JCudaDriver.cuGraphExecDestroy(exec), "cuGraphExecDestroy");
    }

    // ---------------------------------------------------------------- lifecycle

    /** Waits for the stream, frees all memory and releases this backend's reference to the context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bind();
        List<RuntimeException> failures = new ArrayList<>();
        run(failures, this::synchronize);
        run(failures, memory::close);
        run(failures, () -> check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy"));
        run(failures, () -> check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease"));
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void run(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
