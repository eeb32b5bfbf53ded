package dev.unroll.backend.cuda;

import dev.unroll.api.Activation;
import dev.unroll.api.DType;
import dev.unroll.api.SequenceSteps;
import dev.unroll.api.StepShapes;
import dev.unroll.api.Tensor;
import dev.unroll.api.TimeDirection;
import dev.unroll.api.spi.AbstractBackend;
import dev.unroll.api.spi.Shapes;
import jcuda.Pointer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CUDA backend: every operation of the SPI runs on the GPU in FLOAT32, in kernels of the project's own
 * (see {@code src/main/cuda}), enqueued on one stream without waiting. Only operations that return a value to
 * the host (downloads, {@code sumOfSquares}, {@code maxAbs}, the softmax loss) or take host indices wait for the
 * device, so a sequence's forward and backward run without a host round trip per step. FLOAT64 is not
 * supported ({@link dev.unroll.api.UnsupportedDTypeException}).
 *
 * <p>Fused operations (LSTM and GRU steps, Adam) are single kernels that round exactly as the composite
 * defaults do. Launch overhead is what bounds small shapes; {@link #capture} records a sequence's launches
 * into a {@link StepGraph} that replays them in one call.
 *
 * <p>Tensor memory comes from a pool: a closed tensor's allocation is reused by the next tensor of the same
 * size, and everything is freed when the backend closes.
 */
public final class CudaBackend extends AbstractBackend<CudaTensor> {
    /**
     * How many keyed graphs stay instantiated. A stack keeps two loops (forward, backward) per layer, direction
     * and cached batch shape; a key that outlives its tensors is never asked for again, and this bounds them.
     */
    static final int KEPT_GRAPHS = 128;
    /** Says when the driver refuses a recording (the work then runs directly): slower, so worth knowing. */
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());
    private final CudaDevice device;
    private final DeviceScratch scratch;
    private final Set<StepGraph> graphs = new LinkedHashSet<>();
    /** Graphs by key, least recently replayed first; past {@link #KEPT_GRAPHS} the eldest is closed. */
    private final LinkedHashMap<Object, StepGraph> graphsByKey = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Keys whose work runs directly, not as a graph: recording it failed, or would have lost a persistent kernel.
     * Bounded like the graphs: past {@link #KEPT_GRAPHS} the eldest is forgotten (and would be tried once more).
     */
    private final Set<Object> keysRunDirectly = Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > KEPT_GRAPHS;
        }
    });
    /** Set while a recording runs a whole sequence without the persistent kernel it would get outside one. */
    private boolean persistentGivenUpInCapture;
    /** Cluster kernels launched into recordings, for the GPU tests. */
    private long clusterLaunchesCaptured;
    private DeviceLimits limits;
    private final GemmVariant.Family gemmFamily;
    private Set<PersistentScheme> persistentSchemes;
    private final GraphRecording graphRecording;

    private CudaBackend(CudaDevice device, CudaSettings settings) {
        super(CudaBackendProvider.NAME, CudaTensor.class);
        this.device = device;
        this.scratch = new DeviceScratch(device.memory());
        this.gemmFamily = settings.gemm();
        this.persistentSchemes = settings.persistentSchemes();
        this.graphRecording = settings.graphs();
    }

    /**
     * Opens a backend on device {@code ordinal} with the settings of this JVM ({@link CudaSettings}); fails with the
     * reason if CUDA cannot run here, or naming the setting if one is malformed (before the device is opened).
     */
    public static CudaBackend open(int ordinal) {
        CudaSettings settings = CudaSettings.fromEnvironment();
        return new CudaBackend(CudaDevice.open(ordinal), settings);
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT32;
    }

    /** The device's name, e.g. {@code "NVIDIA H100 80GB HBM3"}. */
    public String deviceName() {
        return device.name();
    }

    /** Free and total device memory in bytes ({@code cuMemGetInfo}), after the enqueued work has finished. */
    public long[] deviceMemoryInfo() {
        device.synchronize();
        return device.memoryInfo();
    }

    /** Waits until all enqueued work has run (for timing; results are ordered without it). */
    @Override
    public void synchronize() {
        device.synchronize();
    }

    /** Bytes of device memory this backend holds (in use by tensors, cached for reuse, or scratch). */
    public long bytesReserved() {
        return device.memory().bytesReserved();
    }

    /** How many times this backend called {@code cuMemAlloc}; flat once every shape has been seen. */
    public long driverAllocations() {
        return device.memory().driverAllocations();
    }

    // ---------------------------------------------------------------- graphs

    /**
     * Runs nothing, but records the device work that {@code work} enqueues on this backend into a graph; see
     * {@link StepGraph} for what may be captured. Typical use: allocate a shape's workspaces, capture the
     * forward over the whole sequence once, then per batch upload the inputs and {@link StepGraph#replay()}.
     */
    public StepGraph capture(Runnable work) {
        StepGraph graph = new StepGraph(device, device.capture(work));
        graphs.add(graph);
        return graph;
    }

    /**
     * Replays the graph recorded under {@code key}, first capturing {@code work} under that key if there is
     * none. The key must identify everything the work depends on (its shape and the tensors it touches); the
     * graph lives until the backend closes or {@link #forgetCaptured} drops it.
     */
    public void runCaptured(Object key, Runnable work) {
        if (keysRunDirectly.contains(key)) {
            work.run();
            return;
        }
        StepGraph graph = graphsByKey.get(key);
        if (graph != null) {
            graph.replay();
            return;
        }
        graph = captureOrGiveUp(work);
        if (graph == null) {
            keysRunDirectly.add(key);
            work.run();
            return;
        }
        graphsByKey.put(key, graph);
        if (graphsByKey.size() > KEPT_GRAPHS) {
            forgetCaptured(graphsByKey.keySet().iterator().next());
        }
        try {
            graph.replay();
        } catch (CudaException e) {
            LOG.log(System.Logger.Level.WARNING, "cuda: the driver refused to launch recorded work, which runs launch"
                    + " by launch from now on: " + e.getMessage());
            forgetCaptured(key);
            keysRunDirectly.add(key);
            work.run();
        }
    }

    /**
     * Records {@code work}, or returns null where a graph of it would be wrong or slow: the driver refused to record
     * one of its launches, or a whole sequence in it had to give up its persistent kernel (the grid kernel's
     * cooperative launch is not recorded) and would replay as a step loop. The caller then runs the work directly.
     */
    private StepGraph captureOrGiveUp(Runnable work) {
        persistentGivenUpInCapture = false;
        StepGraph graph;
        try {
            graph = capture(work);
        } catch (CudaException e) {
            LOG.log(System.Logger.Level.WARNING, "cuda: the driver refused to record repeated work, which runs launch"
                    + " by launch from now on: " + e.getMessage());
            return null;
        }
        if (persistentGivenUpInCapture) {
            graphs.remove(graph);
            graph.close();
            return null;
        }
        return graph;
    }

    /** How many keys run directly because recording them failed or would lose a persistent kernel (tests). */
    int keysRunDirectly() {
        return keysRunDirectly.size();
    }

    /** How many cluster kernels were launched into recordings (tests). */
    long clusterLaunchesCaptured() {
        return clusterLaunchesCaptured;
    }

    /**
     * Records {@code work} as a graph the first time {@code key} is seen and replays it from then on (see
     * {@link #runCaptured}); inside another capture it simply runs, becoming part of that graph. With
     * {@code unroll.cuda.graphs=off} ({@link GraphRecording}) it always simply runs.
     */
    @Override
    public void runRepeatable(Object key, Runnable work) {
        if (device.isCapturing() || graphRecording == GraphRecording.OFF) {
            work.run();
        } else {
            runCaptured(key, work);
        }
    }

    @Override
    public void forgetRepeatable(Object key) {
        forgetCaptured(key);
    }

    /**
     * Where a tensor's data lies: a captured graph depends on its tensors' addresses and shapes only, so two
     * calls on tensors at the same places (views made afresh, or a pool block handed out again) can share one.
     */
    private record Placement(long address, int rows, int cols) {
        static Placement of(CudaTensor t) {
            return new Placement(t.address(), t.rows(), t.cols());
        }
    }

    /** Closes and forgets the graph recorded under {@code key}, if any. */
    public void forgetCaptured(Object key) {
        keysRunDirectly.remove(key);
        StepGraph graph = graphsByKey.remove(key);
        if (graph != null) {
            graphs.remove(graph);
            graph.close();
        }
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected CudaTensor newTensor(DType dtype, int[] shape) {
        device.requireNotCapturing("allocate");
        long count = Shapes.size(shape);
        DevicePointer block = device.memory().acquire(count * Float.BYTES);
        device.memset32(block, 0, 0, count);
        return new CudaTensor(this, shape, block, device.memory()::release);
    }

    @Override
    protected CudaTensor newRowView(CudaTensor base, int firstRow, int rowCount) {
        return new CudaTensor(this, base, new int[] {rowCount, base.cols()},
                base.byteOffset() + (long) firstRow * base.cols() * Float.BYTES);
    }

    @Override
    protected CudaTensor newReshaped(CudaTensor base, int[] shape) {
        return new CudaTensor(this, base, shape, base.byteOffset());
    }

    @Override
    protected void doUpload(float[] src, CudaTensor dst) {
        device.upload(Pointer.to(src), dst.block(), dst.byteOffset(), dst.bytes(), "upload");
    }

    @Override
    protected void doUpload(double[] src, CudaTensor dst) {
        float[] rounded = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            rounded[i] = (float) src[i];
        }
        doUpload(rounded, dst);
    }

    @Override
    protected void doDownload(CudaTensor src, float[] dst) {
        device.download(src.block(), src.byteOffset(), Pointer.to(dst), src.bytes(), "download");
    }

    @Override
    protected void doDownload(CudaTensor src, double[] dst) {
        float[] values = new float[dst.length];
        doDownload(src, values);
        for (int i = 0; i < values.length; i++) {
            dst[i] = values[i];
        }
    }

    @Override
    protected void doFill(CudaTensor t, double value) {
        device.memset32(t.block(), t.byteOffset(), Float.floatToRawIntBits((float) value), t.size());
    }

    @Override
    protected void doCopyRows(CudaTensor src, int srcRow, CudaTensor dst, int dstRow, int count) {
        long rowBytes = (long) src.cols() * Float.BYTES;
        long srcOffset = src.byteOffset() + srcRow * rowBytes;
        long dstOffset = dst.byteOffset() + dstRow * rowBytes;
        long bytes = count * rowBytes;
        if (src.block() == dst.block() && srcOffset == dstOffset) {
            return;
        }
        if (src.block() == dst.block() && srcOffset < dstOffset + bytes && dstOffset < srcOffset + bytes) {
            // cuMemcpy leaves overlapping copies undefined: go through scratch memory.
            DevicePointer staging = scratch.get(DeviceScratch.Use.STAGING, bytes);
            device.copy(src.block(), srcOffset, staging, 0, bytes);
            device.copy(staging, 0, dst.block(), dstOffset, bytes);
        } else {
            device.copy(src.block(), srcOffset, dst.block(), dstOffset, bytes);
        }
    }

    @Override
    protected void doCopyColumns(CudaTensor src, int srcCol, CudaTensor dst, int dstCol, int count) {
        long srcAddress = src.address();
        if (src.overlaps(dst)) {
            // A thread could overwrite an element another thread has yet to read: copy from a snapshot.
            DevicePointer staging = scratch.get(DeviceScratch.Use.STAGING, src.bytes());
            device.copy(src.block(), src.byteOffset(), staging, 0, src.bytes());
            srcAddress = staging.address();
        }
        int rows = src.rows();
        device.launch(Kernel.COPY_COLUMNS, LaunchConfig.elementwise((long) rows * count), srcAddress, src.cols(), srcCol,
                dst.address(), dst.cols(), dstCol, rows, count);
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    protected void doGemm(boolean transA, boolean transB, double alpha, CudaTensor a, CudaTensor b, double beta,
                          CudaTensor c, int m, int n, int k) {
        float fAlpha = (float) alpha;
        float fBeta = (float) beta;
        if (fAlpha == 0f) {
            // BLAS semantics: with alpha == 0, a and b are not read (their NaNs do not reach c).
            if (fBeta == 0f) {
                doFill(c, 0);
            } else {
                doScale(fBeta, c, c);
            }
            return;
        }
        launchGemm(GemmVariant.choose(gemmFamily, m, n, k, limits().multiprocessors()), transA, transB, fAlpha, a, b, fBeta, c, m,
                n, k);
    }

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c} with {@code variant}, whatever {@link GemmVariant#choose} would
     * pick: for {@code GemmMicroBenchmark}, which times every variant. No shape checks; alpha must be nonzero.
     */
    void gemmWith(GemmVariant variant, boolean transA, boolean transB, float alpha, CudaTensor a, CudaTensor b,
                  float beta, CudaTensor c) {
        launchGemm(variant, transA, transB, alpha, a, b, beta, c, c.rows(), c.cols(), transA ? a.rows() : a.cols());
    }

    private void launchGemm(GemmVariant variant, boolean transA, boolean transB, float alpha, CudaTensor a,
                            CudaTensor b, float beta, CudaTensor c, int m, int n, int k) {
        Kernel kernel = variant.kernel(transA, transB);
        if (!variant.isV2()) {
            device.launch(kernel, variant.launch(m, n, transB, 1), m, n, k, alpha, a.address(), b.address(), beta,
                    c.address());
            return;
        }
        GemmVariant.SplitK split = variant.splitK(m, n, k, limits().multiprocessors());
        if (split.slices() == 1) {
            device.launch(kernel, variant.launch(m, n, transB, 1), m, n, k, split.kChunk(), alpha, a.address(),
                    b.address(), beta, c.address());
            return;
        }
        // Each k slice writes its own sums; the second pass adds them in slice order, so, unlike atomics, the
        // result is the same on every run.
        DevicePointer partials = scratch.get(DeviceScratch.Use.PARTIALS, (long) split.slices() * m * n * Float.BYTES);
        device.launch(kernel, variant.launch(m, n, transB, split.slices()), m, n, k, split.kChunk(), 1f,
                a.address(), b.address(), 0f, partials.address());
        device.launch(Kernel.SGEMM_SPLIT_K_SUM, LaunchConfig.elementwise((long) m * n), m * n, split.slices(), alpha,
                partials.address(), beta, c.address());
    }

    private void elementwise(Kernel kernel, CudaTensor a, CudaTensor b, CudaTensor out) {
        int n = (int) out.size();
        device.launch(kernel, LaunchConfig.elementwise(n), a.address(), b.address(), out.address(), n);
    }

    @Override
    protected void doAdd(CudaTensor a, CudaTensor b, CudaTensor out) {
        elementwise(Kernel.ADD, a, b, out);
    }

    @Override
    protected void doSub(CudaTensor a, CudaTensor b, CudaTensor out) {
        elementwise(Kernel.SUB, a, b, out);
    }

    @Override
    protected void doMul(CudaTensor a, CudaTensor b, CudaTensor out) {
        elementwise(Kernel.MUL, a, b, out);
    }

    @Override
    protected void doDiv(CudaTensor a, CudaTensor b, CudaTensor out) {
        elementwise(Kernel.DIV, a, b, out);
    }

    @Override
    protected void doScale(double alpha, CudaTensor x, CudaTensor out) {
        int n = (int) out.size();
        device.launch(Kernel.SCALE, LaunchConfig.elementwise(n), (float) alpha, x.address(), out.address(), n);
    }

    @Override
    protected void doAddScalar(CudaTensor x, double value, CudaTensor out) {
        int n = (int) out.size();
        device.launch(Kernel.ADD_SCALAR, LaunchConfig.elementwise(n), x.address(), (float) value, out.address(), n);
    }

    @Override
    protected void doAxpy(double alpha, CudaTensor x, CudaTensor y) {
        int n = (int) y.size();
        device.launch(Kernel.AXPY, LaunchConfig.elementwise(n), (float) alpha, x.address(), y.address(), n);
    }

    @Override
    protected void doSqrt(CudaTensor x, CudaTensor out) {
        int n = (int) out.size();
        device.launch(Kernel.SQRT, LaunchConfig.elementwise(n), x.address(), out.address(), n);
    }

    @Override
    protected void doClamp(CudaTensor x, double lo, double hi, CudaTensor out) {
        int n = (int) out.size();
        device.launch(Kernel.CLAMP, LaunchConfig.elementwise(n), x.address(), (float) lo, (float) hi, out.address(), n);
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doActivate(Activation f, CudaTensor x, CudaTensor out) {
        Kernel kernel = switch (f) {
            case TANH -> Kernel.TANH;
            case SIGMOID -> Kernel.SIGMOID;
            case RELU -> Kernel.RELU;
        };
        int n = (int) out.size();
        device.launch(kernel, LaunchConfig.elementwise(n), x.address(), out.address(), n);
    }

    @Override
    protected void doActivateBackward(Activation f, CudaTensor y, CudaTensor dy, CudaTensor dx) {
        Kernel kernel = switch (f) {
            case TANH -> Kernel.TANH_BACKWARD;
            case SIGMOID -> Kernel.SIGMOID_BACKWARD;
            case RELU -> Kernel.RELU_BACKWARD;
        };
        elementwise(kernel, y, dy, dx);
    }

    // ---------------------------------------------------------------- broadcasting and reductions

    @Override
    protected void doAddRowVector(CudaTensor m, CudaTensor row, CudaTensor out) {
        int n = (int) out.size();
        device.launch(Kernel.ADD_ROW_VECTOR, LaunchConfig.elementwise(n), m.address(), row.address(), out.address(), n,
                m.cols());
    }

    @Override
    protected void doMulColumnVector(CudaTensor m, CudaTensor column, CudaTensor out) {
        int n = (int) out.size();
        device.launch(Kernel.MUL_COLUMN_VECTOR, LaunchConfig.elementwise(n), m.address(), column.address(),
                out.address(), n, m.cols());
    }

    @Override
    protected void doColumnSums(CudaTensor m, double beta, CudaTensor out) {
        device.launch(Kernel.COLUMN_SUMS, LaunchConfig.columnSums(m.cols()), m.address(), m.rows(), m.cols(), beta,
                out.address());
    }

    @Override
    protected double doSumOfSquares(CudaTensor t) {
        device.requireNotCapturing("sumOfSquares");
        int n = (int) t.size();
        LaunchConfig first = LaunchConfig.reductionPartials(n);
        DevicePointer partials = scratch.get(DeviceScratch.Use.PARTIALS, (long) first.gridX() * Double.BYTES);
        DevicePointer result = scratch.get(DeviceScratch.Use.RESULT, Double.BYTES);
        device.launch(Kernel.SUM_OF_SQUARES_PARTIAL, first, t.address(), n, partials.address());
        device.launch(Kernel.SUM_F64, LaunchConfig.singleBlock(), partials.address(), first.gridX(), result.address());
        double[] value = new double[1];
        device.download(result, 0, Pointer.to(value), Double.BYTES, "sumOfSquares");
        return value[0];
    }

    @Override
    protected double doMaxAbs(CudaTensor t) {
        device.requireNotCapturing("maxAbs");
        int n = (int) t.size();
        LaunchConfig first = LaunchConfig.reductionPartials(n);
        DevicePointer partials = scratch.get(DeviceScratch.Use.PARTIALS, (long) first.gridX() * Float.BYTES);
        DevicePointer result = scratch.get(DeviceScratch.Use.RESULT, Float.BYTES);
        device.launch(Kernel.MAX_ABS_PARTIAL, first, t.address(), n, partials.address());
        device.launch(Kernel.MAX_F32, LaunchConfig.singleBlock(), partials.address(), first.gridX(), result.address());
        float[] value = new float[1];
        device.download(result, 0, Pointer.to(value), Float.BYTES, "maxAbs");
        return value[0];
    }

    // ---------------------------------------------------------------- embeddings

    /** Uploads host indices (already range-checked by the caller) to scratch memory; returns their address. */
    private long uploadIndices(int[] indices, String op) {
        DevicePointer buffer = scratch.get(DeviceScratch.Use.INDICES, (long) indices.length * Integer.BYTES);
        device.upload(Pointer.to(indices), buffer, 0, (long) indices.length * Integer.BYTES, op);
        return buffer.address();
    }

    @Override
    protected void doGatherRows(CudaTensor table, int[] indices, CudaTensor out) {
        long deviceIndices = uploadIndices(indices, "gatherRows");
        int n = (int) out.size();
        device.launch(Kernel.GATHER_ROWS, LaunchConfig.elementwise(n), table.address(), table.cols(), deviceIndices, n,
                out.address());
    }

    @Override
    protected void doScatterAddRows(CudaTensor src, int[] indices, CudaTensor table) {
        long deviceIndices = uploadIndices(indices, "scatterAddRows");
        int n = (int) src.size();
        device.launch(Kernel.SCATTER_ADD_ROWS, LaunchConfig.elementwise(n), src.address(), table.cols(), deviceIndices,
                n, table.address());
    }

    // ---------------------------------------------------------------- loss

    @Override
    protected double doSoftmaxCrossEntropy(CudaTensor logits, int[] targets, CudaTensor probabilities) {
        long deviceTargets = uploadIndices(targets, "softmaxCrossEntropy");
        int rows = logits.rows();
        DevicePointer rowLosses = scratch.get(DeviceScratch.Use.ROW_LOSSES, (long) rows * Double.BYTES);
        DevicePointer result = scratch.get(DeviceScratch.Use.RESULT, Double.BYTES);
        device.launch(Kernel.SOFTMAX_CROSS_ENTROPY, LaunchConfig.blockPerRow(rows), logits.address(), logits.cols(),
                deviceTargets, probabilities.address(), rowLosses.address());
        device.launch(Kernel.SUM_F64, LaunchConfig.singleBlock(), rowLosses.address(), rows, result.address());
        double[] loss = new double[1];
        device.download(result, 0, Pointer.to(loss), Double.BYTES, "softmaxCrossEntropy");
        return loss[0];
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(CudaTensor probabilities, int[] targets, double scale,
                                                 CudaTensor dLogits) {
        long deviceTargets = uploadIndices(targets, "softmaxCrossEntropyBackward");
        int n = (int) dLogits.size();
        device.launch(Kernel.SOFTMAX_CROSS_ENTROPY_BACKWARD, LaunchConfig.elementwise(n), probabilities.address(),
                probabilities.cols(), deviceTargets, (float) scale, n, dLogits.address());
    }

    // ---------------------------------------------------------------- fused steps

    @Override
    public void lstmStepForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h) {
        String op = "lstmStepForward";
        StepShapes.lstmStepForward(gates, cPrev, c, h);
        CudaTensor tg = own(op, "gates", gates);
        CudaTensor tcp = own(op, "cPrev", cPrev);
        CudaTensor tc = own(op, "c", c);
        CudaTensor th = own(op, "h", h);
        int n = (int) tc.size();
        device.launch(Kernel.LSTM_STEP_FORWARD, LaunchConfig.elementwise(n), tg.address(), tcp.address(), tc.address(),
                th.address(), n, tc.cols());
    }

    @Override
    public void lstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates) {
        String op = "lstmStepBackward";
        StepShapes.lstmStepBackward(gates, cPrev, c, dh, dc, dGates);
        CudaTensor tg = own(op, "gates", gates);
        CudaTensor tcp = own(op, "cPrev", cPrev);
        CudaTensor tc = own(op, "c", c);
        CudaTensor tdh = own(op, "dh", dh);
        CudaTensor tdc = own(op, "dc", dc);
        CudaTensor tdg = own(op, "dGates", dGates);
        int n = (int) tc.size();
        device.launch(Kernel.LSTM_STEP_BACKWARD, LaunchConfig.elementwise(n), tg.address(), tcp.address(), tc.address(),
                tdh.address(), tdc.address(), tdg.address(), n, tc.cols());
    }

    @Override
    public void gruStepForward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor h) {
        String op = "gruStepForward";
        StepShapes.gruStepForward(gates, hProj, hPrev, h);
        CudaTensor tg = own(op, "gates", gates);
        CudaTensor tp = own(op, "hProj", hProj);
        CudaTensor thp = own(op, "hPrev", hPrev);
        CudaTensor th = own(op, "h", h);
        int n = (int) th.size();
        device.launch(Kernel.GRU_STEP_FORWARD, LaunchConfig.elementwise(n), tg.address(), tp.address(), thp.address(),
                th.address(), n, th.cols());
    }

    @Override
    public void gruStepBackward(Tensor gates, Tensor hProj, Tensor hPrev, Tensor dh, Tensor dInput, Tensor dHidden) {
        String op = "gruStepBackward";
        StepShapes.gruStepBackward(gates, hProj, hPrev, dh, dInput, dHidden);
        CudaTensor tg = own(op, "gates", gates);
        CudaTensor tp = own(op, "hProj", hProj);
        CudaTensor thp = own(op, "hPrev", hPrev);
        CudaTensor tdh = own(op, "dh", dh);
        CudaTensor tdi = own(op, "dInput", dInput);
        CudaTensor tdhid = own(op, "dHidden", dHidden);
        int n = (int) tdh.size();
        device.launch(Kernel.GRU_STEP_BACKWARD, LaunchConfig.elementwise(n), tg.address(), tp.address(), thp.address(),
                tdh.address(), tdi.address(), tdhid.address(), n, tdh.cols());
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, double weightDecay, long step) {
        String op = "adamUpdate";
        StepShapes.same(op, "param", param, "grad", grad);
        StepShapes.same(op, "param", param, "m", m);
        StepShapes.same(op, "param", param, "v", v);
        if (step < 1) {
            throw new IllegalArgumentException("adamUpdate: step must be >= 1, was " + step);
        }
        CudaTensor tp = own(op, "param", param);
        CudaTensor tg = own(op, "grad", grad);
        CudaTensor tm = own(op, "m", m);
        CudaTensor tv = own(op, "v", v);
        // Each scalar is rounded to float exactly where CompositeSteps.adam passes it to a primitive.
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        int n = (int) tp.size();
        device.launch(Kernel.ADAM, LaunchConfig.elementwise(n), tp.address(), tg.address(), tm.address(), tv.address(), n,
                weightDecay != 0 ? 1 : 0, (float) weightDecay, (float) beta1, (float) (1 - beta1), (float) beta2,
                (float) (1 - beta2), (float) (1 / Math.sqrt(correction2)), (float) eps, (float) (-lr / correction1));
    }

    // ---------------------------------------------------------------- whole sequences

    /*
     * The SPI's whole-sequence forwards (state buffers of T+1 blocks, see SequenceSteps), in either time direction.
     * Where the shape fits, one persistent launch runs the whole recurrence (PersistentScheme: the cluster kernel,
     * else the grid kernel). The kernels take the initial state's block and the block that step 0 writes (FORWARD:
     * blocks 0 and 1; REVERSE: blocks T and 0) and walk the steps in the direction's order; for a batch of several
     * lengths they read the rows that run at each step from a device copy of activeRows. A kernel reads each
     * step's input projection from the gate buffer it writes, which is safe: each thread reads its elements of a
     * step before writing them. Its dot products add in another order than the SGEMM, so it agrees with the loop to
     * the cell tolerance. Elsewhere the SPI's per-step loop runs, recorded once per direction and placement of the
     * tensors and replayed as one graph (with activeRows, whose counts change per batch, it runs directly). Inside a caller's recording (the cells record a whole forward pass) the
     * cluster kernel is recorded like any launch; the grid kernel's cooperative launch is not, so there the loop
     * joins the recording, and runCaptured then gives that recording up for running the work directly.
     */

    @Override
    public void lstmSequenceForward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                    Tensor states, Tensor cells) {
        String op = "lstmSequenceForward";
        int steps = SequenceSteps.lstmForwardSteps(direction, activeRows, gates, weightHh, states, cells);
        CudaTensor g = own(op, "gates", gates);
        CudaTensor w = own(op, "weightHh", weightHh);
        CudaTensor h = own(op, "states", states);
        CudaTensor c = own(op, "cells", cells);
        int batch = gates.rows() / steps;
        int initial = direction.initialBlock(steps);
        int written = direction.nextBlock(0);
        boolean launched = persistentForward(PersistentCell.LSTM, batch, h.cols(), activeRows,
                new Object[] {g.address(), w.address(), stateBlock(h, initial, batch), stateBlock(c, initial, batch),
                    g.address(), stateBlock(c, written, batch), stateBlock(h, written, batch), steps, batch, h.cols()},
                reverse(direction));
        if (!launched) {
            loop(op + direction, activeRows,
                    () -> SequenceSteps.lstmForward(this, direction, activeRows, gates, weightHh, states, cells),
                    g, w, h, c);
        }
    }

    @Override
    public void gruSequenceForward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor hiddenProjection,
                                   Tensor weightHh, Tensor biasHh, Tensor states) {
        String op = "gruSequenceForward";
        int steps = SequenceSteps.gruForwardSteps(direction, activeRows, gates, hiddenProjection, weightHh, biasHh, states);
        CudaTensor g = own(op, "gates", gates);
        CudaTensor p = own(op, "hiddenProjection", hiddenProjection);
        CudaTensor w = own(op, "weightHh", weightHh);
        CudaTensor b = biasHh == null ? null : own(op, "biasHh", biasHh);
        CudaTensor h = own(op, "states", states);
        int batch = gates.rows() / steps;
        // the kernels add b_hh themselves; without a bias the loop runs (a zero bias buffer would cost as much)
        boolean launched = b != null && persistentForward(PersistentCell.GRU, batch, h.cols(), activeRows,
                new Object[] {g.address(), w.address(), b.address(),
                    stateBlock(h, direction.initialBlock(steps), batch), g.address(), p.address(),
                    stateBlock(h, direction.nextBlock(0), batch), steps, batch, h.cols()},
                reverse(direction));
        if (!launched) {
            loop(op + direction, activeRows, () -> SequenceSteps.gruForward(this, direction, activeRows, gates,
                    hiddenProjection, weightHh, biasHh, states), g, p, w, b, h);
        }
    }

    @Override
    public void rnnSequenceForward(TimeDirection direction, int[] activeRows, Activation activation, Tensor gates,
                                   Tensor weightHh, Tensor states) {
        String op = "rnnSequenceForward";
        int steps = SequenceSteps.rnnForwardSteps(direction, activeRows, activation, gates, weightHh, states);
        CudaTensor g = own(op, "gates", gates);
        CudaTensor w = own(op, "weightHh", weightHh);
        CudaTensor h = own(op, "states", states);
        int batch = gates.rows() / steps;
        boolean launched = persistentForward(PersistentCell.RNN, batch, h.cols(), activeRows,
                new Object[] {g.address(), w.address(), stateBlock(h, direction.initialBlock(steps), batch),
                    stateBlock(h, direction.nextBlock(0), batch), steps, batch, h.cols()},
                activation == Activation.RELU ? 1 : 0, reverse(direction));
        if (!launched) {
            loop(op + direction + activation, activeRows,
                    () -> SequenceSteps.rnnForward(this, direction, activeRows, activation, gates, weightHh, states),
                    g, w, h);
        }
    }

    /** The address of block {@code block} (of {@code batch} rows) of a state buffer {@code [(T+1)*B, H]}. */
    private static long stateBlock(CudaTensor states, int block, int batch) {
        return states.address() + (long) block * batch * states.cols() * Float.BYTES;
    }

    /** The persistent kernels' argument before the activeRows pointer: 1 for {@link TimeDirection#REVERSE}. */
    private static int reverse(TimeDirection direction) {
        return direction == TimeDirection.REVERSE ? 1 : 0;
    }

    /**
     * Runs a whole-sequence forward in one persistent launch if an allowed scheme fits, and says whether it did.
     * Both kernels take {@code leading}, then their split (the cluster kernel's column chunk, the grid kernel's
     * units per block), then {@code trailing}, then the device address of {@code activeRows} (uploaded here, 0 for
     * null); the grid kernel also takes its barrier last. Inside a recording, where nothing can be uploaded, a call
     * with {@code activeRows} is not launched.
     */
    private boolean persistentForward(PersistentCell cell, int batch, int hidden, int[] activeRows, Object[] leading,
                                      Object... trailing) {
        if (activeRows != null && device.isCapturing()) {
            return false;
        }
        Optional<ClusterPlan> cluster = clusterPlan(cell, batch, hidden);
        if (cluster.isPresent() && launchCluster(cell.clusterKernel, cluster.get(),
                arguments(leading, cluster.get().chunk(), withActiveRows(trailing, activeRows)))) {
            return true;
        }
        if (device.isCapturing()) {
            // a cooperative launch is not recorded: the loop runs instead, which the caller's recording gives up
            persistentGivenUpInCapture |= gridPlan(cell, batch, hidden).isPresent();
            return false;
        }
        Optional<PersistentPlan> grid = gridPlan(cell, batch, hidden);
        if (grid.isPresent()) {
            launchPersistent(cell.gridKernel, grid.get(),
                    arguments(leading, grid.get().unitsPerBlock(), withActiveRows(trailing, activeRows)));
            return true;
        }
        return false;
    }

    /*
     * The SPI's whole-sequence backwards, in either time direction. Where the cluster backward kernel fits
     * (persistent_cluster.cu), one launch runs the whole recurrence: each block keeps its units' columns of W_hh in
     * registers and the step's gate gradients travel to every block through distributed shared memory. The kernels
     * take the whole state buffers and walk the steps in the reverse of the direction's order. Their dot products
     * add in another order than the SGEMM, so they agree with the loop to the cell tolerance. Elsewhere the SPI's
     * per-step loop runs, recorded once per direction and placement of the tensors and replayed as one graph.
     */

    @Override
    public void lstmSequenceBackward(TimeDirection direction, int[] activeRows, Tensor gates, Tensor weightHh,
                                     Tensor cells, Tensor dOutput, Tensor dGates, Tensor dHidden, Tensor dCell) {
        String op = "lstmSequenceBackward";
        int steps = SequenceSteps.lstmBackwardSteps(direction, activeRows, gates, weightHh, cells, dOutput, dGates,
                dHidden, dCell);
        CudaTensor g = own(op, "gates", gates);
        CudaTensor w = own(op, "weightHh", weightHh);
        CudaTensor c = own(op, "cells", cells);
        CudaTensor dy = dOutput == null ? null : own(op, "dOutput", dOutput);
        CudaTensor dg = own(op, "dGates", dGates);
        CudaTensor dh = own(op, "dHidden", dHidden);
        CudaTensor dc = own(op, "dCell", dCell);
        boolean launched = persistentBackward(PersistentCell.LSTM, dh, activeRows, new Object[] {g.address(), w.address(),
            c.address(), address(dy), dg.address(), dh.address(), dc.address(), steps, dh.rows(), dh.cols()},
                reverse(direction));
        if (!launched) {
            loop(op + direction, activeRows, () -> SequenceSteps.lstmBackward(this, direction, activeRows, gates,
                    weightHh, cells, dOutput, dGates, dHidden, dCell), g, w, c, dy, dg, dh, dc);
        }
    }

    @Override
    public void gruSequenceBackward(TimeDirection direction, int[] activeRows, Tensor gates,
                                    Tensor hiddenProjection, Tensor weightHh, Tensor states, Tensor dOutput,
                                    Tensor dGates, Tensor dHiddenProjection, Tensor dHidden) {
        String op = "gruSequenceBackward";
        int steps = SequenceSteps.gruBackwardSteps(direction, activeRows, gates, hiddenProjection, weightHh, states, dOutput,
                dGates, dHiddenProjection, dHidden);
        CudaTensor g = own(op, "gates", gates);
        CudaTensor p = own(op, "hiddenProjection", hiddenProjection);
        CudaTensor w = own(op, "weightHh", weightHh);
        CudaTensor h = own(op, "states", states);
        CudaTensor dy = dOutput == null ? null : own(op, "dOutput", dOutput);
        CudaTensor dg = own(op, "dGates", dGates);
        CudaTensor dp = own(op, "dHiddenProjection", dHiddenProjection);
        CudaTensor dh = own(op, "dHidden", dHidden);
        boolean launched = persistentBackward(PersistentCell.GRU, dh, activeRows, new Object[] {g.address(), p.address(),
            w.address(), h.address(), address(dy), dg.address(), dp.address(), dh.address(), steps, dh.rows(),
            dh.cols()}, reverse(direction));
        if (!launched) {
            loop(op + direction, activeRows, () -> SequenceSteps.gruBackward(this, direction, activeRows, gates,
                    hiddenProjection, weightHh, states, dOutput, dGates, dHiddenProjection, dHidden),
                    g, p, w, h, dy, dg, dp, dh);
        }
    }

    @Override
    public void rnnSequenceBackward(TimeDirection direction, int[] activeRows, Activation activation,
                                    Tensor weightHh, Tensor states, Tensor dOutput, Tensor dGates, Tensor dHidden) {
        String op = "rnnSequenceBackward";
        int steps = SequenceSteps.rnnBackwardSteps(direction, activeRows, activation, weightHh, states, dOutput, dGates, dHidden);
        CudaTensor w = own(op, "weightHh", weightHh);
        CudaTensor h = own(op, "states", states);
        CudaTensor dy = dOutput == null ? null : own(op, "dOutput", dOutput);
        CudaTensor dg = own(op, "dGates", dGates);
        CudaTensor dh = own(op, "dHidden", dHidden);
        boolean launched = persistentBackward(PersistentCell.RNN, dh, activeRows, new Object[] {w.address(), h.address(),
            address(dy), dg.address(), dh.address(), steps, dh.rows(), dh.cols()},
                activation == Activation.RELU ? 1 : 0, reverse(direction));
        if (!launched) {
            loop(op + direction + activation, activeRows, () -> SequenceSteps.rnnBackward(this, direction, activeRows,
                    activation, weightHh, states, dOutput, dGates, dHidden), w, h, dy, dg, dh);
        }
    }

    /**
     * Runs a whole-sequence backward in one cluster launch if that scheme is allowed and fits, and says whether it
     * did. The kernels take {@code leading}, then the column chunk, then {@code trailing}, then the device address
     * of {@code activeRows}, as {@link #persistentForward}.
     */
    private boolean persistentBackward(PersistentCell cell, CudaTensor dHidden, int[] activeRows, Object[] leading,
                                       Object... trailing) {
        if (activeRows != null && device.isCapturing()) {
            return false;
        }
        Optional<ClusterPlan> cluster = clusterBackwardPlan(cell, dHidden.rows(), dHidden.cols());
        return cluster.isPresent() && launchCluster(cell.clusterBackwardKernel, cluster.get(),
                arguments(leading, cluster.get().chunk(), withActiveRows(trailing, activeRows)));
    }

    /** {@code trailing}, then the device address of {@code activeRows} (uploaded), or 0 for null. */
    private Object[] withActiveRows(Object[] trailing, int[] activeRows) {
        Object[] all = Arrays.copyOf(trailing, trailing.length + 1);
        all[trailing.length] = activeRows == null ? 0L : uploadIndices(activeRows, "activeRows");
        return all;
    }

    /**
     * Runs the SPI's per-step loop: recorded and replayed as one graph (see {@link #replayed}) where every row runs
     * every step; directly where the rows vary by step, since a recording would keep this call's counts.
     */
    private void loop(String op, int[] activeRows, Runnable work, CudaTensor... tensors) {
        if (activeRows == null) {
            replayed(op, work, tensors);
        } else {
            work.run();
        }
    }

    /** A kernel's pointer argument for an optional tensor: its address, or the null pointer. */
    private static long address(CudaTensor t) {
        return t == null ? 0L : t.address();
    }

    private static Object[] arguments(Object[] leading, int split, Object[] trailing) {
        Object[] all = Arrays.copyOf(leading, leading.length + 1 + trailing.length);
        all[leading.length] = split;
        System.arraycopy(trailing, 0, all, leading.length + 1, trailing.length);
        return all;
    }

    /** Runs {@code work} as a graph keyed by {@code op} and where its tensors lie; see {@link #runRepeatable}. */
    private void replayed(String op, Runnable work, CudaTensor... tensors) {
        List<Object> key = new ArrayList<>(tensors.length + 1);
        key.add(op);
        for (CudaTensor t : tensors) {
            key.add(t == null ? null : Placement.of(t));
        }
        runRepeatable(key, work);
    }

    /**
     * Launches a cluster kernel (the grid is one cluster; an ordinary launch, so a recording takes it too) and says
     * whether the driver took it. One it refuses for its shape ({@link ClusterRefusals}) is not planned again on
     * this device, and the caller runs the work another way. Inside a recording the refusal propagates: the
     * recording is given up and the work runs directly, which comes back here.
     */
    private boolean launchCluster(Kernel kernel, ClusterPlan plan, Object... args) {
        try {
            device.launchWithSharedMemory(kernel, new LaunchConfig(ClusterPlan.BLOCKS, 1, plan.threads(), 1),
                    plan.sharedBytes(), args);
        } catch (CudaException e) {
            if (device.isCapturing() || !ClusterRefusals.isRefusal(e.driverResult())) {
                throw e;
            }
            device.clusterRefusals().refuse(kernel, plan);
            LOG.log(System.Logger.Level.WARNING, "cuda: the driver refused a cluster of " + ClusterPlan.BLOCKS
                    + " blocks of " + plan.threads() + " threads and " + plan.sharedBytes() + " bytes of shared memory ("
                    + e.getMessage() + "); that shape runs without the cluster kernel from now on");
            return false;
        }
        if (device.isCapturing()) {
            clusterLaunchesCaptured++;
        }
        return true;
    }

    /** Zeroes the grid barrier and launches a grid persistent kernel; its last argument is the barrier's address. */
    private void launchPersistent(Kernel kernel, PersistentPlan plan, Object... args) {
        DevicePointer barrier = scratch.get(DeviceScratch.Use.BARRIER, 2L * Integer.BYTES);
        device.memset32(barrier, 0, 0, 2);
        Object[] withBarrier = Arrays.copyOf(args, args.length + 1);
        withBarrier[args.length] = barrier.address();
        device.launchCooperative(kernel, new LaunchConfig(plan.blocks(), 1, PersistentPlan.THREADS, 1),
                plan.sharedBytes(), withBarrier);
    }

    /** Which persistent schemes the sequence forwards may use (all by default; see {@link PersistentScheme}). */
    void allowPersistentSchemes(Set<PersistentScheme> schemes) {
        persistentSchemes = schemes.isEmpty() ? EnumSet.noneOf(PersistentScheme.class) : EnumSet.copyOf(schemes);
    }

    /** The device's limits, asked once. */
    DeviceLimits limits() {
        if (limits == null) {
            limits = device.limits();
        }
        return limits;
    }

    /**
     * The cluster kernel's plan for this shape on this device, if that scheme is allowed and fits, and the driver has
     * not refused that launch here before.
     */
    Optional<ClusterPlan> clusterPlan(PersistentCell cell, int batch, int hiddenSize) {
        return persistentSchemes.contains(PersistentScheme.CLUSTER)
                ? ClusterPlan.forward(cell.gates, batch, hiddenSize, limits())
                        .filter(plan -> device.clusterRefusals().allows(cell.clusterKernel, plan))
                : Optional.empty();
    }

    /** The cluster backward kernel's plan for this shape on this device, as {@link #clusterPlan}. */
    Optional<ClusterPlan> clusterBackwardPlan(PersistentCell cell, int batch, int hiddenSize) {
        return persistentSchemes.contains(PersistentScheme.CLUSTER)
                ? ClusterPlan.backward(cell.gates, batch, hiddenSize, limits())
                        .filter(plan -> device.clusterRefusals().allows(cell.clusterBackwardKernel, plan))
                : Optional.empty();
    }

    /**
     * The grid kernel's plan for this shape on this device, if that scheme is allowed, fits, and all its blocks can
     * be resident at once, as the grid barrier needs.
     */
    Optional<PersistentPlan> gridPlan(PersistentCell cell, int batch, int hiddenSize) {
        if (!persistentSchemes.contains(PersistentScheme.GRID)) {
            return Optional.empty();
        }
        return PersistentPlan.plan(cell.gates, batch, hiddenSize, limits()).filter(p -> device
                .residentBlocksPerMultiprocessor(cell.gridKernel, PersistentPlan.THREADS, p.sharedBytes()) >= 1);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void doClose() {
        List<RuntimeException> failures = new ArrayList<>();
        for (StepGraph graph : graphs) {
            try {
                graph.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        graphs.clear();
        graphsByKey.clear();
        try {
            device.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Backend[cuda on " + device.name() + "]";
    }
}
