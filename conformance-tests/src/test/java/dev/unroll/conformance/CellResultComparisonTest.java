package dev.unroll.conformance;

import dev.unroll.api.DType;
import dev.unroll.conformance.recurrent.CellResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comparing two runs of a cell case: what the report measures and what a failure names first. */
class CellResultComparisonTest {
    private static final HostTensor ONE = new HostTensor(new int[] {1}, new double[] {1});

    @Test
    void equalInfinitiesAndNaNsMeasureAsNoDifference() {
        HostTensor special = new HostTensor(new int[] {3},
                new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN});
        CellResult r = new CellResult(special, special, null, Map.of("x", special));
        // CrossBackendReport prints this: a NaN here read "worst abs NaN" for two identical runs
        assertEquals(Difference.NONE, CellResultComparison.measure(r, r));
    }

    @Test
    void gradientsAreComparedInTheExpectedResultsOrder() {
        // a golden fixture's gradients come in file order: x first, then parameters layer by layer
        Map<String, HostTensor> grads = new LinkedHashMap<>();
        for (String name : List.of("x", "weight_ih_l0", "bias_hh_l0", "h0", "c0", "bias_ih_l0", "weight_hh_l0")) {
            grads.put(name, ONE);
        }
        Map<String, HostTensor> wrong = new LinkedHashMap<>();
        grads.keySet().forEach(name -> wrong.put(name, HostTensor.zeros(1)));
        CellResult expected = new CellResult(ONE, ONE, null, grads);
        assertEquals(List.copyOf(grads.keySet()), List.copyOf(expected.grads().keySet()));
        AssertionError e = assertThrows(AssertionError.class, () -> CellResultComparison.assertSame(verifier(),
                expected, new CellResult(ONE, ONE, null, wrong)));
        assertTrue(e.getMessage().contains("'grad x'"), e.getMessage());
    }

    @Test
    void aMissingFinalCellStateOrGradientIsNamed() {
        CellResult expected = new CellResult(ONE, ONE, ONE, Map.of("x", ONE, "h0", ONE));
        AssertionError noCell = assertThrows(AssertionError.class, () -> CellResultComparison.assertSame(verifier(),
                expected, new CellResult(ONE, ONE, null, Map.of("x", ONE, "h0", ONE))));
        assertEquals("b check FLOAT64: expected a final cell state c_n but the stack returned none",
                noCell.getMessage());
        AssertionError noGrad = assertThrows(AssertionError.class, () -> CellResultComparison.assertSame(verifier(),
                expected, new CellResult(ONE, ONE, ONE, Map.of("x", ONE))));
        assertEquals("b check FLOAT64: no gradient named 'h0'; the stack has [x]", noGrad.getMessage());
    }

    private static Verifier verifier() {
        return new Verifier("b", "check", DType.FLOAT64, new Tolerance(1e-12, 1e-9));
    }
}
