package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.conformance.golden.GoldenFixture;
import dev.unroll.conformance.golden.GoldenFixtureReader;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The PyTorch oracle: every golden fixture's forward outputs, final states and every gradient (input, initial
 * states, each parameter) must match within the cell tolerance of the dtype. Inputs are uploaded as stored
 * (float64), so a float32 backend also carries the rounding of its inputs.
 */
public final class GoldenChecks {
    /** The check group of the kit's own fixtures. */
    public static final String GROUP = "golden";
    /** The check group of the fixtures in a folder given by {@code -Dunroll.golden.dir}. */
    public static final String DIRECTORY_GROUP = "golden-dir";

    private GoldenChecks() {
    }

    /**
     * One check per bundled fixture.
     *
     * @param toleranceFor the tolerance of a fixture (long saturated sequences may get a named looser one)
     */
    public static List<Check> bundled(KitTarget target, DType dtype, Function<GoldenFixture, Tolerance> toleranceFor) {
        List<Check> checks = new ArrayList<>();
        for (String file : GoldenFixtureReader.bundledNames()) {
            String description = "golden " + file.replace(".json", "") + " " + dtype;
            checks.add(new Check(GROUP, description, () -> {
                GoldenFixture f = GoldenFixtureReader.bundled(file);
                run(target, dtype, toleranceFor.apply(f), f);
            }));
        }
        return checks;
    }

    /** One check per {@code *.json} file in {@code folder}, sorted by name. */
    public static List<Check> directory(KitTarget target, DType dtype, Tolerance tolerance, Path folder) {
        List<Check> checks = new ArrayList<>();
        for (Path file : GoldenFixtureReader.filesIn(folder)) {
            String description = "golden " + file.getFileName() + " " + dtype;
            checks.add(new Check(DIRECTORY_GROUP, description,
                    () -> run(target, dtype, tolerance, GoldenFixtureReader.read(file))));
        }
        return checks;
    }

    private static void run(KitTarget target, DType dtype, Tolerance tolerance, GoldenFixture f) {
        try (Backend be = target.create()) {
            verify(be, dtype, f, new Verifier(target.name(), "golden " + f.name(), dtype, tolerance));
        }
    }

    /**
     * Runs a fixture on {@code be} and compares every output and gradient, gradients in file order; throws
     * {@link AssertionError}.
     */
    public static void verify(Backend be, DType dtype, GoldenFixture f, Verifier verify) {
        CellResult expected = new CellResult(f.y(), f.hN(), f.cN(), f.grads());
        CellResultComparison.assertSame(verify, expected, CellRunner.forwardBackward(be, dtype, toCase(f)));
    }

    /** The fixture as a runnable case: its parameters, inputs and upstream gradients, evaluation mode. */
    public static CellCase toCase(GoldenFixture f) {
        Map<String, HostTensor> params = new LinkedHashMap<>(f.params());
        return new CellCase(f.name(), f.config(), params, f.x(), f.h0(), f.c0(), f.lengths(), f.dy(), f.dhN(),
                f.dcN(), false, 0);
    }
}
