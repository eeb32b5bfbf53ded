package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GraphRecordingTest {
    @Test
    void unsetRecordsAndOffRunsDirectly() {
        assertEquals(GraphRecording.ON, GraphRecording.parse(null));
        assertEquals(GraphRecording.ON, GraphRecording.parse(" "));
        assertEquals(GraphRecording.OFF, GraphRecording.parse(" Off "));
        assertEquals(GraphRecording.ON, GraphRecording.parse("on"));
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphRecording.parse("never"));
        assertEquals("unroll.cuda.graphs must be on or off, got 'never'", e.getMessage());
    }
}
