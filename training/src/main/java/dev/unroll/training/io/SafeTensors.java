package dev.unroll.training.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.unroll.api.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (Hugging Face), the file PyTorch users exchange weights in: an
 * 8-byte little-endian header length, a JSON header mapping each name to {@code dtype}, {@code shape} and
 * {@code data_offsets [begin, end)} within the data section (plus an optional string map
 * {@code __metadata__}), then the raw little-endian data. F32 and F64 are supported.
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private SafeTensors() {
    }

    /** The tensors of a file, in file order, and its metadata (empty when absent). */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    }

    public static Contents read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return decode(bytes);
        } catch (RuntimeException e) { // malformed JSON, missing fields, offsets outside the file
            throw new IOException("Not a valid safetensors file: " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException {
        Files.write(file, encode(tensors, metadata));
    }

    /**
     * Decodes a whole file's bytes. Malformed input fails with a {@link RuntimeException}
     * ({@link IllegalArgumentException} for the checks made here, Gson's exceptions for bad JSON).
     */
    public static Contents decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IllegalArgumentException("shorter than the 8-byte header length");
        }
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
            throw new IllegalArgumentException("header length " + headerLength + " does not fit a file of "
                    + bytes.length + " bytes");
        }
        String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonObject header = new Gson().fromJson(json, JsonObject.class);
        int dataStart = 8 + (int) headerLength;
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                e.getValue().getAsJsonObject().entrySet()
                        .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                continue;
            }
            tensors.put(e.getKey(), decodeTensor(e.getKey(), e.getValue().getAsJsonObject(), buf, dataStart));
        }
        return new Contents(tensors, metadata);
    }

    private static HostTensor decodeTensor(String name, JsonObject info, ByteBuffer buf, int dataStart) {
        DType dtype = switch (info.get("dtype").getAsString()) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> throw new IllegalArgumentException(name + ": dtype " + info.get("dtype")
                    + " is not supported (F32, F64)");
        };
        JsonArray shapeJson = info.getAsJsonArray("shape");
        int[] shape = new int[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsInt();
            count *= shape[i];
        }
        JsonArray offsets = info.getAsJsonArray("data_offsets");
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (end - begin != count * dtype.bytes() || dataStart + end > buf.capacity() || begin < 0) {
            throw new IllegalArgumentException(name + ": data_offsets [" + begin + ", " + end
                    + ") do not match shape and dtype or run past the end of the file");
        }
        double[] values = new double[(int) count];
        int at = dataStart + (int) begin;
        for (int i = 0; i < values.length; i++) {
            values[i] = dtype == DType.FLOAT32 ? buf.getFloat(at + 4 * i) : buf.getDouble(at + 8 * i);
        }
        return new HostTensor(dtype, shape, values);
    }

    /** Encodes tensors (in map order) and metadata into the bytes of a file. */
    public static byte[] encode(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            JsonObject info = new JsonObject();
            info.addProperty("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "F64");
            JsonArray shape = new JsonArray();
            for (int d : t.shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += t.size() * t.dtype().bytes();
            offsets.add(offset);
            info.add("data_offsets", offsets);
            header.add(e.getKey(), info);
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        // The format pads the header with spaces so the data section starts 8-byte aligned.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (HostTensor t : tensors.values()) {
            for (double v : t.values()) {
                if (t.dtype() == DType.FLOAT32) {
                    buf.putFloat((float) v);
                } else {
                    buf.putDouble(v);
                }
            }
        }
        return buf.array();
    }
}
