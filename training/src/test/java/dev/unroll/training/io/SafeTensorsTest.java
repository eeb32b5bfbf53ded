package dev.unroll.training.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.api.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsFloat32AndFloat64WithMetadata() throws IOException {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("rnn.weight_ih_l0", new HostTensor(DType.FLOAT32, new int[] {2, 3},
                new double[] {1.5, -2, 0.1f, 3e-8f, Float.MAX_VALUE, -0.0}));
        tensors.put("rnn.bias_ih_l0", new HostTensor(DType.FLOAT64, new int[] {3}, new double[] {Math.PI, -1e-300, 7}));
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt"));
        SafeTensors.Contents read = SafeTensors.read(file);
        assertEquals(tensors, read.tensors());
        assertEquals(Map.of("format", "pt"), read.metadata());
    }

    @Test
    void layoutIsTheSafetensorsSpecification() throws IOException {
        Map<String, HostTensor> tensors = Map.of("w", new HostTensor(DType.FLOAT32, new int[] {2}, new double[] {1, 2}));
        byte[] bytes = SafeTensors.encode(tensors, Map.of());
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        assertEquals(0, (8 + headerLength) % 8, "data section 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).trim();
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        buf.position(8 + (int) headerLength);
        assertEquals(1.0f, buf.getFloat());
        assertEquals(2.0f, buf.getFloat());
    }

    @Test
    void aTruncatedFileFailsWithItsName() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        byte[] good = SafeTensors.encode(Map.of("w", new HostTensor(DType.FLOAT64, new int[] {4}, new double[4])),
                Map.of());
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 5));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
    }

    @Test
    void unsupportedDtypesAreNamed() {
        byte[] json = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.decode(buf.array()));
        assertTrue(e.getMessage().contains("BF16"), e.getMessage());
    }

    @Test
    void hostTensorShapesMustMatchTheirValues() {
        assertThrows(IllegalArgumentException.class, () -> new HostTensor(DType.FLOAT32, new int[] {2, 2}, new double[3]));
        assertArrayEquals(new int[] {2, 2}, new HostTensor(DType.FLOAT32, new int[] {2, 2}, new double[4]).shape());
    }
}
