package dev.unroll.training.clip;

import static dev.unroll.training.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.DType;
import dev.unroll.training.FreshBackendPerTest;
import dev.unroll.training.TestSupport;
import dev.unroll.training.TestSupport.Tolerance;
import dev.unroll.training.nn.NamedParameter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClipperTest extends FreshBackendPerTest {
    private final List<NamedParameter> params = new ArrayList<>();

    private NamedParameter param(String name, double... grad) {
        NamedParameter p = new NamedParameter(name, backend.allocate(DType.FLOAT64, grad.length),
                backend.upload(DType.FLOAT64, grad, grad.length));
        params.add(p);
        return p;
    }

    @Test
    void globalNormScalesEveryGradientByEpsOverTheNorm() {
        NamedParameter a = param("rnn.weight_ih_l0", 3, 0);
        NamedParameter b = param("head.weight", 0, 4); // global norm 5
        ClipReport report = GradientClipper.globalNorm(2.0).clip(params);
        assertEquals(5.0, report.normBefore());
        assertTrue(report.clipped());
        assertClose("a", new double[] {3 * 2.0 / 5, 0}, a.grad().toDoubleArray(), Tolerance.FLOAT64);
        assertClose("b", new double[] {0, 4 * 2.0 / 5}, b.grad().toDoubleArray(), Tolerance.FLOAT64);
        assertClose("norm after", 2.0, GradientClipper.globalNormOf(params), Tolerance.FLOAT64);
    }

    @Test
    void aFiniteGradientWhoseSquaresOverflowGetsItsTrueNormAndIsClipped() {
        // 3e200 and 4e200: every square overflows a double, the norm 5e200 does not
        NamedParameter a = param("rnn.weight_ih_l0", 3e200, 0);
        NamedParameter b = param("head.weight", 0, -4e200);
        ClipReport report = GradientClipper.globalNorm(1.0).clip(params);
        assertClose("norm before", 5e200, report.normBefore(), Tolerance.FLOAT64);
        assertTrue(report.clipped());
        assertClose("a", new double[] {0.6, 0}, a.grad().toDoubleArray(), Tolerance.FLOAT64);
        assertClose("b", new double[] {0, -0.8}, b.grad().toDoubleArray(), Tolerance.FLOAT64);
    }

    @Test
    void anInfiniteGradientHasAnInfiniteNormAndIsLeftAlone() {
        NamedParameter a = param("w", Double.POSITIVE_INFINITY, 1);
        ClipReport report = GradientClipper.globalNorm(1.0).clip(params);
        assertEquals(Double.POSITIVE_INFINITY, report.normBefore());
        assertFalse(report.clipped());
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 1}, a.grad().toDoubleArray());
    }

    @Test
    void globalNormBelowTheThresholdChangesNothing() {
        NamedParameter a = param("w", 0.3, -0.4);
        ClipReport report = GradientClipper.globalNorm(1.0).clip(params);
        assertFalse(report.clipped());
        assertArrayEquals(new double[] {0.3, -0.4}, a.grad().toDoubleArray());
    }

    @Test
    void byValueClampsEachElementAndStillReportsTheNorm() {
        NamedParameter a = param("w", 3, -0.5, -4);
        ClipReport report = GradientClipper.byValue(1.0).clip(params);
        assertClose("norm before", Math.sqrt(9 + 0.25 + 16), report.normBefore(), Tolerance.FLOAT64);
        assertArrayEquals(new double[] {1, -0.5, -1}, a.grad().toDoubleArray());
    }

    @Test
    void perLayerClipsEachLayerToTheThresholdSeparately() {
        NamedParameter ih = param("rnn.weight_ih_l0", 6, 0);
        NamedParameter hh = param("rnn.bias_hh_l0", 0, 8); // layer rnn.l0: norm 10
        NamedParameter reverse = param("rnn.weight_ih_l0_reverse", 0.5); // layer rnn.l0_reverse: norm 0.5
        NamedParameter head = param("head.weight", 0, 3); // layer head: norm 3
        GradientClipper.perLayer(1.0).clip(params);
        assertClose("l0 ih", new double[] {0.6, 0}, ih.grad().toDoubleArray(), Tolerance.FLOAT64);
        assertClose("l0 hh", new double[] {0, 0.8}, hh.grad().toDoubleArray(), Tolerance.FLOAT64);
        assertArrayEquals(new double[] {0.5}, reverse.grad().toDoubleArray());
        assertClose("head", new double[] {0, 1}, head.grad().toDoubleArray(), Tolerance.FLOAT64);
    }

    @Test
    void layersAreNamedAfterModulesAndRecurrentLayers() {
        assertEquals("rnn.l1_reverse", GradientClipper.layerOf("rnn.weight_hh_l1_reverse"));
        assertEquals("encoder.rnn.l0", GradientClipper.layerOf("encoder.rnn.bias_ih_l0"));
        assertEquals("rnn.l2", GradientClipper.layerOf("rnn.h0_l2"));
        assertEquals("decoder.head", GradientClipper.layerOf("decoder.head.bias"));
        assertEquals("embedding", GradientClipper.layerOf("embedding.weight"));
    }

    @Test
    void aNonFiniteGradientIsReportedAndLeftAlone() {
        NamedParameter a = param("w", Double.NaN, 100);
        ClipReport report = GradientClipper.globalNorm(1.0).clip(params);
        assertFalse(report.finite());
        assertEquals(100.0, a.grad().toDoubleArray()[1]);
    }
}
