package dev.unroll.backend.cpu;

import dev.unroll.api.DType;
import dev.unroll.api.RecurrentProduct;
import dev.unroll.api.Tensor;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * A sequence's step products {@code into += h W_hh^T} on oneDNN's matmul primitive, with {@code W_hh} packed once
 * into the primitive's own layout for all the steps, where that was measured faster than {@code dnnl_sgemm} on the
 * transposed copy ({@link #pays}). The output's columns are split into one band per thread of the backend, as
 * {@link Blas} splits a product; each band has its own primitive, packed weights and stream, and always runs on
 * the same thread of the {@link RangeExecutor}. A call on other than the planned row count (the rows of a batch
 * of several lengths that run a step) goes to a fallback product, made when the first such call comes. Not
 * thread-safe, like the backend.
 */
final class PackedRecurrentProduct implements RecurrentProduct {
    private static final engine CPU = new engine(engine.kind.cpu, 0);
    /** Rough single-thread rate of the packed product, in FLOP per nanosecond, to estimate a call's time. */
    private static final double FLOPS_PER_NANO = 90;
    /** Rough cost of packing one weight, to let the bands pack in parallel. */
    private static final double PACK_NANOS_PER_FLOAT = 1;
    /** The operation that error messages name. */
    private static final String OP = "recurrentProduct.addTo";

    private final CpuBackend owner;
    private final RangeExecutor executor;
    private final int rows;
    private final int depth;
    private final int width;
    private final Supplier<RecurrentProduct> fallbackFactory;
    /** Made on the first call with other than {@code rows} rows. */
    private RecurrentProduct fallback;
    private final Band[] bands;
    private boolean closed;

    /**
     * Whether packing {@code W_hh} pays for a step product of {@code rows} rows, depth {@code depth} (H) and width
     * {@code width} (the gates' G H) split into {@code bands} column bands. Fitted to one-thread timings on the
     * 2-core Zen 4 (docs/PERFORMANCE.md, "Known gaps"): 14-22% faster for 32 and 64 rows at depth 512 and 1024
     * where each band is a multiple of 1024 columns (the LSTM at H = 512 and 1024 on two threads), within 6%
     * (either way) at the other band shapes measured, the GRU's and the RNN's and 16 rows among them.
     */
    static boolean pays(int rows, int depth, int width, int bands) {
        return rows >= 32 && depth >= 512 && width % bands == 0 && (width / bands) % 1024 == 0;
    }

    /**
     * @param owner    the backend whose tensors the steps take (checked on each call: oneDNN gets their raw memory)
     * @param weightHh {@code [width, depth]} as stored; packed here, so the caller must not change it while this
     *                 product lives (the {@link RecurrentProduct} contract)
     * @param rows     the rows of the calls to pack for
     * @param bands    column bands (the backend's threads); {@code width} must divide into them
     * @param fallback makes the product for calls on other row counts, when one comes; closed with this one
     */
    PackedRecurrentProduct(CpuBackend owner, RangeExecutor executor, CpuTensor weightHh, int rows, int bands,
                           Supplier<RecurrentProduct> fallback) {
        this.owner = owner;
        this.executor = executor;
        this.rows = rows;
        this.depth = weightHh.cols();
        this.width = weightHh.rows();
        this.fallbackFactory = fallback;
        if (width % bands != 0) {
            throw new IllegalArgumentException("packed product: width " + width + " does not split into " + bands
                    + " bands");
        }
        this.bands = new Band[bands];
        int bandWidth = width / bands;
        try {
            // each band packs its weights on the thread that will run it
            executor.forRange(bands, (double) width * depth * PACK_NANOS_PER_FLOAT, (part, from, to) -> {
                OneDnn.onThisThreadOnly();
                for (int b = from; b < to; b++) {
                    this.bands[b] = new Band(weightHh, b * bandWidth, bandWidth);
                }
            });
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void addTo(Tensor hPrev, Tensor into) {
        if (closed) {
            throw new IllegalStateException(OP + ": the product is closed (its packed weights are freed)");
        }
        // Checked as gemm checks its operands: oneDNN reads and writes these addresses with no check of its own, so
        // a closed tensor (freed memory), another backend's, or a closed backend (whose kernel threads are gone)
        // must not get that far.
        CpuTensor h = owner.checked(OP, "hPrev", hPrev);
        CpuTensor out = owner.checked(OP, "into", into);
        if (h.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(OP + ": dtypes differ: W_hh FLOAT32, hPrev " + h.dtype() + ", into "
                    + out.dtype());
        }
        if (out.overlaps(h)) {
            throw new IllegalArgumentException(OP + ": output into " + Arrays.toString(out.shape())
                    + " overlaps the storage of hPrev " + Arrays.toString(h.shape()));
        }
        if (h.rows() != rows) {
            if (fallback == null) {
                fallback = fallbackFactory.get();
            }
            fallback.addTo(hPrev, into);
            return;
        }
        if (h.cols() != depth || out.rows() != rows || out.cols() != width) {
            throw new IllegalArgumentException(OP + ": hPrev " + h.rows() + "x" + h.cols() + " and into "
                    + out.rows() + "x" + out.cols() + " do not fit W_hh " + width + "x" + depth);
        }
        FloatPointer source = (FloatPointer) h.blasPointer();
        FloatPointer target = (FloatPointer) out.blasPointer();
        executor.forRange(bands.length, 2.0 * rows * depth * width / FLOPS_PER_NANO, (part, from, to) -> {
            OneDnn.onThisThreadOnly();
            for (int b = from; b < to; b++) {
                bands[b].run(source, target);
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (fallback != null) {
                fallback.close();
            }
        } finally {
            for (Band band : bands) {
                if (band != null) {
                    band.close();
                }
            }
        }
    }

    /**
     * The address {@code elements} floats past {@code p}'s position, as a {@code void*} argument: JavaCPP offsets a
     * plain {@link Pointer} by its position in bytes, and a {@link FloatPointer}'s position counts floats.
     */
    private static Pointer handle(FloatPointer p, long elements) {
        return new Pointer(p).position((p.position() + elements) * Float.BYTES);
    }

    /**
     * Columns {@code first ..} of the product: {@code into[:, first..] += h W_hh[first.., :]^T}, with the native
     * objects it made (freed on close, also when making a later one fails).
     */
    private final class Band implements AutoCloseable {
        private final List<Pointer> natives = new ArrayList<>();
        private final int first;
        // set once, by prepare
        private matmul primitive;
        private memory source;
        private memory target;
        private stream stream;
        private IntMemoryMap arguments;

        Band(CpuTensor weightHh, int first, int columns) {
            this.first = first;
            try {
                prepare(weightHh, columns);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }

        /** Packs this band's weights and makes its matmul primitive and memory objects. */
        private void prepare(CpuTensor weightHh, int columns) {
            // h [rows, depth] with rows depth apart; into's band [rows, columns] with rows width apart; the weights
            // as the product's [depth, columns] operand are W_hh's rows first.. read column-wise (strides 1, depth).
            memory.desc hDesc = kept(new memory.desc(new long[] {rows, depth}, memory.data_type.f32,
                    new long[] {depth, 1}));
            memory.desc outDesc = kept(new memory.desc(new long[] {rows, columns}, memory.data_type.f32,
                    new long[] {width, 1}));
            memory.desc weightsAsStored = kept(new memory.desc(new long[] {depth, columns}, memory.data_type.f32,
                    new long[] {1, depth}));
            memory.desc weightsAny = kept(new memory.desc(new long[] {depth, columns}, memory.data_type.f32,
                    memory.format_tag.any));
            post_ops accumulate = kept(new post_ops());
            accumulate.append_sum();  // scale 1: into = into + product, as a GEMM with beta 1
            primitive_attr attributes = kept(new primitive_attr());
            attributes.set_post_ops(accumulate);
            matmul.primitive_desc plan = kept(new matmul.primitive_desc(
                    kept(new matmul.desc(hDesc, weightsAny, outDesc)), attributes, CPU));
            stream = kept(new stream(CPU));
            memory packed = kept(new memory(kept(plan.weights_desc()), CPU));
            FloatPointer stored = (FloatPointer) weightHh.blasPointer();
            memory asStored = kept(new memory(weightsAsStored, CPU, handle(stored, (long) first * depth)));
            kept(new reorder(asStored, packed)).execute(stream, asStored, packed);
            stream._wait();
            source = kept(new memory(hDesc, CPU, (Pointer) null));
            target = kept(new memory(outDesc, CPU, (Pointer) null));
            arguments = kept(new IntMemoryMap());
            arguments.put(DNNL_ARG_SRC, source);
            arguments.put(DNNL_ARG_WEIGHTS, packed);
            arguments.put(DNNL_ARG_DST, target);
            primitive = kept(new matmul(plan));
        }

        void run(FloatPointer h, FloatPointer into) {
            source.set_data_handle(handle(h, 0));
            target.set_data_handle(handle(into, first));
            primitive.execute(stream, arguments);
            stream._wait();
        }

        private <T extends Pointer> T kept(T object) {
            natives.add(object);
            return object;
        }

        @Override
        public void close() {
            for (int i = natives.size() - 1; i >= 0; i--) {
                natives.get(i).close();
            }
            natives.clear();
        }
    }
}
