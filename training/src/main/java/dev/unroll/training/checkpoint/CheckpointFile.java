package dev.unroll.training.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.unroll.api.DType;
import dev.unroll.training.io.HostTensor;
import dev.unroll.training.io.SafeTensors;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingProgress;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.Models;
import dev.unroll.training.optim.OptimizerConfig;
import dev.unroll.training.optim.OptimizerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint file: an 8-byte magic {@code UNRLCKP1}, the SHA-256 of the payload (32 bytes), then the
 * payload, a safetensors file (so its tensors can be read by any safetensors reader after skipping 40 bytes):
 * the model's parameters as {@code model/NAME}, the optimizer's buffers as {@code optimizer/SLOT/NAME}, and
 * in {@code __metadata__} JSON strings for the configurations, progress and caller extras.
 *
 * <p>Writing is atomic: the bytes go to a temporary file in the same directory, are forced to disk, and the
 * file is renamed over the target, so a reader never sees a half-written checkpoint and a crash leaves the
 * previous one intact. Reading verifies the checksum first.
 */
public final class CheckpointFile {
    private static final byte[] MAGIC = "UNRLCKP1".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_BYTES = 32;
    private static final int PREFIX = MAGIC.length + DIGEST_BYTES;
    private static final String FORMAT = "unroll-checkpoint/1";
    private static final String MODEL = "model/";
    private static final String OPTIMIZER = "optimizer/";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private CheckpointFile() {
    }

    /** Writes {@code checkpoint} to {@code file} atomically, replacing any previous file. */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        byte[] payload = SafeTensors.encode(tensors(checkpoint), metadata(checkpoint));
        ByteBuffer bytes = ByteBuffer.allocate(PREFIX + payload.length);
        bytes.put(MAGIC).put(sha256(payload)).put(payload);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = createTemporary(dir, file);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                bytes.flip();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("Cannot write checkpoint " + file + " atomically: the file system does not"
                    + " support atomic rename", e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A temporary file beside {@code file}, with the permissions a plain new file gets (read-write for all, less
     * the umask): {@code createTempFile}'s own default of owner-only would leave every checkpoint unreadable to
     * the other users of a shared machine, unlike the reports written beside it.
     */
    private static Path createTemporary(Path dir, Path file) throws IOException {
        String prefix = file.getFileName().toString() + ".";
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> anyoneMayRead = PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-rw-rw-"));
            return Files.createTempFile(dir, prefix, ".tmp", anyoneMayRead);
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    /**
     * Reads and verifies a checkpoint.
     *
     * @throws CorruptCheckpointException naming the file if the checksum or the contents are wrong
     */
    public static Checkpoint read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length == 0) {
            throw new CorruptCheckpointException(file, "the file is empty");
        }
        // Compare what there is of the magic first, so a file cut short inside the header says so.
        int magicBytes = Math.min(all.length, MAGIC.length);
        if (!Arrays.equals(all, 0, magicBytes, MAGIC, 0, magicBytes)) {
            throw new CorruptCheckpointException(file, "it does not start with the checkpoint magic "
                    + new String(MAGIC, StandardCharsets.US_ASCII));
        }
        if (all.length < PREFIX) {
            throw new CorruptCheckpointException(file, "it is truncated: " + all.length + " bytes, fewer than the "
                    + PREFIX + " of the magic and checksum that start a checkpoint");
        }
        byte[] stored = Arrays.copyOfRange(all, MAGIC.length, PREFIX);
        byte[] payload = Arrays.copyOfRange(all, PREFIX, all.length);
        byte[] actual = sha256(payload);
        if (!MessageDigest.isEqual(stored, actual)) {
            throw new CorruptCheckpointException(file, "SHA-256 mismatch (stored "
                    + HexFormat.of().formatHex(stored) + ", computed " + HexFormat.of().formatHex(actual) + ")");
        }
        try {
            return decode(SafeTensors.decode(payload));
        } catch (RuntimeException e) { // the checksum matched, but the contents are not a checkpoint we can read
            throw new CorruptCheckpointException(file, e.getMessage(), e);
        }
    }

    private static Map<String, HostTensor> tensors(Checkpoint c) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        c.parameters().forEach((name, t) -> out.put(MODEL + name, t));
        if (c.optimizer() != null) {
            c.optimizer().slots().forEach((name, t) -> out.put(OPTIMIZER + name, t));
        }
        return out;
    }

    private static Map<String, String> metadata(Checkpoint c) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model.kind", c.model().kind());
        meta.put("model.config", GSON.toJson(c.model()));
        meta.put("dtype", c.dtype().name());
        if (c.optimizer() != null) {
            meta.put("optimizer.kind", c.optimizer().kind().name());
            meta.put("optimizer.steps", Long.toString(c.optimizer().steps()));
        }
        if (c.training() != null) {
            meta.put("training.config", GSON.toJson(c.training()));
        }
        if (c.progress() != null) {
            meta.put("training.progress", GSON.toJson(c.progress()));
        }
        meta.put("extras", GSON.toJson(c.extras()));
        return meta;
    }

    private static Checkpoint decode(SafeTensors.Contents contents) {
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("format is " + meta.get("format") + ", expected " + FORMAT);
        }
        ModelConfig model = GSON.fromJson(required(meta, "model.config"),
                Models.configClass(required(meta, "model.kind")));
        DType dtype = DType.valueOf(required(meta, "dtype"));
        Map<String, HostTensor> parameters = new LinkedHashMap<>();
        Map<String, HostTensor> slots = new LinkedHashMap<>();
        contents.tensors().forEach((name, t) -> {
            if (name.startsWith(MODEL)) {
                parameters.put(name.substring(MODEL.length()), t);
            } else if (name.startsWith(OPTIMIZER)) {
                slots.put(name.substring(OPTIMIZER.length()), t);
            }
        });
        OptimizerState optimizer = meta.containsKey("optimizer.kind")
                ? new OptimizerState(OptimizerConfig.Kind.valueOf(meta.get("optimizer.kind")),
                        Long.parseLong(required(meta, "optimizer.steps")), slots)
                : null;
        TrainerConfig training = meta.containsKey("training.config")
                ? GSON.fromJson(meta.get("training.config"), TrainerConfig.class) : null;
        TrainingProgress progress = meta.containsKey("training.progress")
                ? GSON.fromJson(meta.get("training.progress"), TrainingProgress.class) : null;
        Map<String, String> extras = GSON.fromJson(required(meta, "extras"),
                new TypeToken<Map<String, String>>() { }.getType());
        return new Checkpoint(model, dtype, parameters, optimizer, training, progress, extras);
    }

    /** A metadata entry every checkpoint has; its absence is named rather than left to a NullPointerException. */
    private static String required(Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the metadata entry '" + key + "' is missing");
        }
        return value;
    }

    private static byte[] sha256(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
