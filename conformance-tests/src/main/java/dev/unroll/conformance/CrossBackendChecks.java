package dev.unroll.conformance;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.api.config.BackendRegistry;
import dev.unroll.api.spi.BackendProvider;
import dev.unroll.conformance.recurrent.CellCase;
import dev.unroll.conformance.recurrent.CellResult;
import dev.unroll.conformance.recurrent.CellRunner;
import dev.unroll.conformance.recurrent.CellScenarios;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Cross-backend agreement: the kit's random recurrent models run on the backend under test in every dtype it
 * supports and on every other backend available on the classpath; each run must match the reference (the backend
 * under test in FLOAT64, or EJML in FLOAT64 when the backend under test lacks it) within the cell tolerance of the
 * run's dtype. With only the backend under test available, its FLOAT32 path is compared with its FLOAT64 path.
 */
public final class CrossBackendChecks {
    public static final String GROUP = "cross-backend";
    private static final String FALLBACK_REFERENCE = "ejml";

    private CrossBackendChecks() {
    }

    /** One check per compared backend and dtype (each over every scenario). */
    public static List<Check> checks(KitTarget target, Function<DType, Tolerance> tolerance) {
        BackendRegistry registry = BackendRegistry.fromClasspath();
        Map<String, Supplier<Backend>> others = new LinkedHashMap<>();
        for (BackendProvider p : registry.providers()) {
            if (!p.name().equalsIgnoreCase(target.name()) && registry.availability(p).available()) {
                others.put(p.name(), () -> registry.create(p.name()));
            }
        }
        String referenceName;
        Supplier<Backend> reference;
        if (target.dtypes().contains(DType.FLOAT64)) {
            referenceName = target.name();
            reference = target::create;
        } else if (others.containsKey(FALLBACK_REFERENCE)) {
            referenceName = FALLBACK_REFERENCE;
            reference = others.get(FALLBACK_REFERENCE);
        } else {
            return List.of(); // no float64 oracle to compare with
        }
        Map<String, Supplier<Backend>> compared = new LinkedHashMap<>();
        compared.put(target.name(), target::create);
        compared.putAll(others);

        List<Check> checks = new ArrayList<>();
        for (Map.Entry<String, Supplier<Backend>> e : compared.entrySet()) {
            for (DType dtype : DType.values()) {
                boolean isTarget = e.getKey().equals(target.name());
                if (e.getKey().equals(referenceName) && dtype == DType.FLOAT64) {
                    continue;
                }
                if (isTarget && !target.dtypes().contains(dtype)) {
                    continue;
                }
                String description = "cross-backend " + e.getKey() + " " + dtype + " vs " + referenceName + " FLOAT64";
                checks.add(new Check(GROUP, description, () -> compare(reference, referenceName, e.getValue(),
                        e.getKey(), dtype, tolerance.apply(dtype), target.name())));
            }
        }
        return checks;
    }

    private static void compare(Supplier<Backend> reference, String referenceName, Supplier<Backend> compared,
                                String comparedName, DType dtype, Tolerance tolerance, String targetName) {
        try (Backend ref = reference.get(); Backend be = compared.get()) {
            if (!be.supports(dtype)) {
                return; // another backend's missing dtype is not the target's failure
            }
            for (CellCase c : CellScenarios.all()) {
                CellResult expected = CellRunner.forwardBackward(ref, DType.FLOAT64, c);
                CellResult actual = CellRunner.forwardBackward(be, dtype, c);
                Verifier verify = new Verifier(targetName, "cross-backend " + comparedName + " vs " + referenceName
                        + " FLOAT64, " + c.name(), dtype, tolerance);
                CellResultComparison.assertSame(verify, expected, actual);
            }
        }
    }
}
