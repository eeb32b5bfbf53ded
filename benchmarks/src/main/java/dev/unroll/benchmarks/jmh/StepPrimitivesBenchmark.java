package dev.unroll.benchmarks.jmh;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.Tensor;
import dev.unroll.api.config.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-step work of a recurrent layer, one primitive at a time, at the batch and hidden sizes of the
 * benchmark table: the recurrent GEMMs of an LSTM step forward ({@code gates += h W_hh^T}) and backward
 * ({@code dh = dGates W_hh}), and the fused LSTM and GRU pointwise steps. Where a layer's time goes per step.
 *
 * <pre>
 * java -cp benchmarks/target/unroll-bench.jar org.openjdk.jmh.Main StepPrimitivesBenchmark -p backend=cpu -p shape=64x512
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xss4m")
public class StepPrimitivesBenchmark {
    @Param({"cpu", "ejml"})
    public String backend;

    /** batch x hidden: the four shapes of docs/PERFORMANCE.md. */
    @Param({"1x256", "16x128", "64x512", "32x1024"})
    public String shape;

    private Backend be;
    private Tensor h;
    private Tensor c;
    private Tensor cPrev;
    private Tensor lstmWeights;
    private Tensor lstmGates;
    private Tensor lstmGatesSaved;
    private Tensor dGates;
    private Tensor dh;
    private Tensor dc;
    private Tensor gruGates;
    private Tensor gruProj;
    private Tensor dInput;
    private Tensor dHidden;

    @Setup(Level.Trial)
    public void setUp() {
        String[] bh = shape.split("x");
        int batch = Integer.parseInt(bh[0]);
        int hidden = Integer.parseInt(bh[1]);
        be = Backends.create(backend);
        SplittableRandom random = new SplittableRandom(3);
        h = random(random, batch, hidden);
        c = random(random, batch, hidden);
        cPrev = random(random, batch, hidden);
        dh = random(random, batch, hidden);
        dc = random(random, batch, hidden);
        lstmWeights = random(random, 4 * hidden, hidden);
        lstmGates = random(random, batch, 4 * hidden);
        lstmGatesSaved = random(random, batch, 4 * hidden);
        dGates = random(random, batch, 4 * hidden);
        gruGates = random(random, batch, 3 * hidden);
        gruProj = random(random, batch, 3 * hidden);
        dInput = random(random, batch, 3 * hidden);
        dHidden = random(random, batch, 3 * hidden);
        be.lstmStepForward(lstmGatesSaved, cPrev, c, h);  // activations, as backward receives them
    }

    private Tensor random(SplittableRandom random, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return be.upload(DType.FLOAT32, v, rows, cols);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /** The recurrent product of an LSTM step forward: {@code gates [B,4H] += h [B,H] * W_hh^T}. */
    @Benchmark
    public void lstmRecurrentGemmForward() {
        be.gemm(false, true, 1, h, lstmWeights, 1, lstmGates);
    }

    /** The recurrent product of an LSTM step backward: {@code dh [B,H] = dGates [B,4H] * W_hh [4H,H]}. */
    @Benchmark
    public void lstmRecurrentGemmBackward() {
        be.gemm(false, false, 1, dGates, lstmWeights, 0, dh);
    }

    /** The fused LSTM pointwise step forward (its gate inputs drift, which does not change the work). */
    @Benchmark
    public void lstmStepForward() {
        be.lstmStepForward(lstmGates, cPrev, c, h);
    }

    @Benchmark
    public void lstmStepBackward() {
        be.lstmStepBackward(lstmGatesSaved, cPrev, c, dh, dc, dGates);
    }

    @Benchmark
    public void gruStepForward() {
        be.gruStepForward(gruGates, gruProj, cPrev, h);
    }

    @Benchmark
    public void gruStepBackward() {
        be.gruStepBackward(gruGates, gruProj, cPrev, dh, dInput, dHidden);
    }
}
