package dev.unroll.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.cli.chart.Series;
import dev.unroll.training.loop.EpochReport;
import dev.unroll.training.loop.StepReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingCurveTest {

    @Test
    void theChartSitsBesideTheCheckpointNamedAfterIt() {
        assertEquals(Path.of("runs/model-training.png"), TrainingCurve.pathBeside(Path.of("runs/model.ckpt")));
        assertEquals(Path.of("model-training.png"), TrainingCurve.pathBeside(Path.of("model")));
        assertEquals(Path.of("a.b-training.png"), TrainingCurve.pathBeside(Path.of("a.b.ckpt")));
    }

    @Test
    void stepLossesSitAtTheirOneBasedStepsLikeTheValidationPoints() {
        TrainingCurve curve = new TrainingCurve();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int batch = 0; batch < 3; batch++) {
                long step = epoch * 3L + batch + 1;
                curve.onStep(new StepReport(epoch, batch, 3, step, 1.0 / step, 1, false, 0.01));
            }
            curve.onEpoch(new EpochReport(epoch, 0.5, (epoch + 1) * 3L, Map.of("validationLoss", 0.4)));
        }

        List<Series> series = curve.series();

        // the loss of step 1 is drawn at x = 1, so the epoch's last step loss and its validation point line up
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, series.get(0).x());
        assertArrayEquals(new double[] {1, 1 / 2.0, 1 / 3.0, 1 / 4.0, 1 / 5.0, 1 / 6.0}, series.get(0).y());
        assertArrayEquals(new double[] {3, 6}, series.get(1).x());
    }
}
