package dev.unroll.training.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file failed its checksum or could not be parsed; the message names the file. */
public final class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(Path file, String reason) {
        super("Checkpoint " + file + " is corrupt or not a checkpoint: " + reason);
    }

    public CorruptCheckpointException(Path file, String reason, Throwable cause) {
        super("Checkpoint " + file + " is corrupt or not a checkpoint: " + reason, cause);
    }
}
