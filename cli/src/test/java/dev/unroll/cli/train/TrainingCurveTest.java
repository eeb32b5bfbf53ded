package dev.unroll.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainingCurveTest {

    @Test
    void theChartSitsBesideTheCheckpointNamedAfterIt() {
        assertEquals(Path.of("runs/model-training.png"), TrainingCurve.pathBeside(Path.of("runs/model.ckpt")));
        assertEquals(Path.of("model-training.png"), TrainingCurve.pathBeside(Path.of("model")));
        assertEquals(Path.of("a.b-training.png"), TrainingCurve.pathBeside(Path.of("a.b.ckpt")));
    }
}
