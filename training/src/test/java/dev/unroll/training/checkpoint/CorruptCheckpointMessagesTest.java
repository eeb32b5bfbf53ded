package dev.unroll.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.training.TestSupport;
import dev.unroll.training.io.SafeTensors;
import dev.unroll.training.model.InputSpec;
import dev.unroll.training.model.Models;
import dev.unroll.training.model.RegressorConfig;
import dev.unroll.training.model.SequenceModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged checkpoint's error says what is wrong with it, in words a user can act on: a file cut short inside
 * its header is called truncated (not "not a checkpoint"), and a payload whose checksum matches but that lacks an
 * entry every checkpoint has names that entry (not a NullPointerException's text).
 */
class CorruptCheckpointMessagesTest {
    /** The magic and the SHA-256 that precede the payload. */
    private static final int PREFIX = 8 + 32;

    @TempDir
    Path dir;

    private byte[] validCheckpoint() throws IOException {
        Path file = dir.resolve("valid.ckpt");
        try (Backend backend = TestSupport.backend();
             SequenceModel model = Models.create(backend, DType.FLOAT32,
                     new RegressorConfig(InputSpec.features(3), RecurrentConfig.of(CellType.GRU, 3, 2), 1))) {
            model.initialize(1);
            CheckpointFile.write(file, Checkpoint.ofModel(model, Map.of()));
        }
        return Files.readAllBytes(file);
    }

    private String readError(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFileCutShortInsideTheHeaderIsCalledTruncated() throws IOException {
        byte[] whole = validCheckpoint();
        String message = readError("cut.ckpt", Arrays.copyOf(whole, 20)); // the magic and part of the checksum
        assertTrue(message.contains("truncated") && message.contains("20 bytes"), message);
        assertFalse(message.contains("does not start with the checkpoint magic"), message);

        message = readError("empty.ckpt", new byte[0]);
        assertTrue(message.contains("empty"), message);

        // another file type is still told apart from a truncated checkpoint
        message = readError("short.txt", "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(message.contains("does not start with the checkpoint magic"), message);
    }

    @Test
    void aChecksummedPayloadWithoutAMetadataEntryNamesIt() throws IOException, NoSuchAlgorithmException {
        byte[] whole = validCheckpoint();
        SafeTensors.Contents contents = SafeTensors.decode(Arrays.copyOfRange(whole, PREFIX, whole.length));
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.remove("model.kind");
        byte[] payload = SafeTensors.encode(contents.tensors(), metadata);
        // a correct checksum for the altered payload, so the read gets past the integrity check to the contents
        byte[] bytes = ByteBuffer.allocate(PREFIX + payload.length).put(Arrays.copyOf(whole, 8))
                .put(MessageDigest.getInstance("SHA-256").digest(payload)).put(payload).array();
        String message = readError("no-kind.ckpt", bytes);
        assertTrue(message.contains("'model.kind' is missing"), message);
    }
}
