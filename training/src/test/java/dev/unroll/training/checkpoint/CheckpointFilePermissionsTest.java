package dev.unroll.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.RegressorConfig;
import dev.unroll.training.model.SequenceRegressor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint gets the permissions any new file gets here (the umask's), not those of the temporary file it
 * started as: createTempFile makes owner-only files, so every checkpoint came out rw------- while the reports
 * written beside it were readable by the other users of a shared machine.
 */
class CheckpointFilePermissionsTest {

    @Test
    void aCheckpointHasThePermissionsOfAPlainNewFile(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path plain = Files.createFile(dir.resolve("plain.ckpt"));
        Path written = dir.resolve("written.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceRegressor model = new SequenceRegressor(backend, DType.FLOAT32,
                     new RegressorConfig(InputSpec.features(2), RecurrentConfig.of(CellType.GRU, 2, 3), 1))) {
            CheckpointFile.write(written, Checkpoint.ofModel(model, Map.of()));
        }

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }
}
