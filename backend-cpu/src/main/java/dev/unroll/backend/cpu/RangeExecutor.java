package dev.unroll.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a kernel (element-wise work, bands of a GEMM) over {@code [0, count)} split into equal contiguous
 * ranges, one per thread, the calling thread taking the first. Calls estimated to take less than
 * {@link #PARALLEL_MIN_NANOS} on one thread run inline.
 *
 * <p>A worker that finished a range spins for up to {@link #SPIN_NANOS} before it parks: a recurrent layer
 * calls split work back to back (a step's GEMM bands, then its fused step, then the next step's GEMM), and
 * a worker still spinning takes the next range within a microsecond, where waking a parked one costs tens of
 * microseconds. That is what makes splitting 10-microsecond calls pay: at (T, B, I, H) = (100, 16, 128, 128)
 * the GRU forward went from 4.7-5.2 ms with a 100 us threshold to 2.9-3.4 ms, the LSTM from 5.7-5.8 to
 * 3.9-4.0. No other pool competes for the cores ({@link Blas} runs every library call on one thread), so the
 * spin costs no one else's work. Not thread-safe, like the backend that owns it.
 */
final class RangeExecutor implements AutoCloseable {
    /** Estimated single-thread time below which a kernel runs on the calling thread alone. */
    static final long PARALLEL_MIN_NANOS = 10_000;
    /** How long a worker that finished a range waits, spinning, for the next before it parks. */
    static final long SPIN_NANOS = 50_000;

    /**
     * A kernel over the range {@code [from, to)}; {@code part} ({@code 0 <= part < threads()}) tells which
     * thread runs it, so a kernel can use per-thread scratch buffers.
     */
    @FunctionalInterface
    interface RangeTask {
        void run(int part, int from, int to);
    }

    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** @param threads the calling thread plus {@code threads - 1} workers */
    RangeExecutor(int threads) {
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            workers[i].part = i + 1;
            Thread t = new Thread(workers[i], "unroll-cpu-kernel-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** The calling thread plus the workers. */
    int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} over {@code [0, count)} items (elements, chunks, tiles), in parallel when the whole
     * call is estimated to take at least {@link #PARALLEL_MIN_NANOS} on one thread and there is more than
     * one item.
     *
     * @param estimatedNanos the time the whole call would take on one thread, roughly
     */
    void forRange(int count, double estimatedNanos, RangeTask task) {
        if (closed) {
            // The workers have exited: a split call would wait for them forever.
            throw new IllegalStateException("cpu backend: its kernel threads were shut down (the backend is closed)");
        }
        if (workers.length == 0 || estimatedNanos < PARALLEL_MIN_NANOS || count < 2) {
            task.run(0, 0, count);
            return;
        }
        int parts = Math.min(workers.length + 1, count);
        caller = Thread.currentThread();
        failure = null;
        pending.set(parts - 1);
        for (int p = 1; p < parts; p++) {
            Worker w = workers[p - 1];
            w.from = (int) ((long) count * p / parts);
            w.to = (int) ((long) count * (p + 1) / parts);
            w.task = task;  // volatile write: publishes from and to
            LockSupport.unpark(w.thread);
        }
        try {
            task.run(0, 0, (int) ((long) count / parts));
        } finally {
            awaitWorkers();
        }
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    private void awaitWorkers() {
        // A short spin first: the parts are equal, so the workers usually finish within microseconds of us.
        for (int spin = 0; spin < 2_000 && pending.get() != 0; spin++) {
            Thread.onSpinWait();
        }
        while (pending.get() != 0) {
            LockSupport.park(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            w.closed = true;
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        int part;
        int from;
        int to;
        volatile RangeTask task;
        volatile boolean closed;

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!closed) {
                RangeTask t = task;
                if (t == null) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                    continue;
                }
                try {
                    t.run(part, from, to);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    task = null;
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
