package dev.unroll.conformance.golden;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.unroll.cells.CellType;
import dev.unroll.conformance.HostTensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code rnn-golden/1} fixtures: the kit's own (classpath resources listed in {@code index.txt}, because a
 * jar cannot be listed) and any folder of {@code *.json} files. A malformed file fails with its name and the
 * field at fault.
 */
public final class GoldenFixtureReader {
    /** Where the kit's fixtures live on the classpath. */
    public static final String RESOURCE_FOLDER = "/dev/unroll/conformance/golden/";
    static final String FORMAT = "rnn-golden/1";

    private GoldenFixtureReader() {
    }

    /** The file names of the kit's own fixtures, from {@code index.txt}. */
    public static List<String> bundledNames() {
        try (InputStream in = open(RESOURCE_FOLDER + "index.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::trim).filter(s -> s.endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the golden fixture index", e);
        }
    }

    /** One of the kit's own fixtures by file name, e.g. {@code "lstm_l2_bi_var_h0_bias.json"}. */
    public static GoldenFixture bundled(String fileName) {
        try (InputStream in = open(RESOURCE_FOLDER + fileName);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(reader, fileName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden fixture " + fileName, e);
        }
    }

    /** The {@code *.json} files of a folder, sorted by name. */
    public static List<Path> filesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list golden fixture folder " + folder, e);
        }
    }

    /** Reads one fixture file. */
    public static GoldenFixture read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden fixture " + file, e);
        }
    }

    /** Parses one fixture; {@code source} names it in error messages. */
    public static GoldenFixture read(Reader reader, String source) {
        JsonObject root;
        try {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(source + ": not a JSON object: " + e.getMessage(), e);
        }
        Fields f = new Fields(root, source);
        String format = f.string("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + ": format is '" + format + "', expected '" + FORMAT + "'");
        }
        String cellId = f.string("cell");
        CellType cell;
        try {
            cell = CellType.fromId(cellId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return new GoldenFixture(
                root.has("name") ? f.string("name") : source,
                cell,
                f.integer("num_layers"),
                f.bool("bidirectional"),
                f.bool("bias"),
                f.integer("T"),
                f.integer("B"),
                f.integer("input_size"),
                f.integer("hidden_size"),
                f.optionalInts("lengths"),
                f.tensors("params"),
                f.tensor("x"),
                f.optionalTensor("h0"),
                f.optionalTensor("c0"),
                f.tensor("y"),
                f.tensor("h_n"),
                f.optionalTensor("c_n"),
                f.tensor("dy"),
                f.tensor("dh_n"),
                f.optionalTensor("dc_n"),
                f.tensors("grads"));
    }

    private static InputStream open(String resource) {
        InputStream in = GoldenFixtureReader.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " is missing from the conformance kit");
        }
        return in;
    }

    /** Typed access to a fixture's fields, failing with the file and field name. */
    private record Fields(JsonObject root, String source) {

        JsonElement required(String name) {
            JsonElement e = root.get(name);
            if (e == null || e.isJsonNull()) {
                throw new IllegalArgumentException(source + ": required field '" + name + "' is missing");
            }
            return e;
        }

        // Gson's getAsInt/getAsBoolean convert whatever they get ("yes" and 1 read as false, 1.5 as 1), so each
        // accessor first checks the JSON kind the format specifies.

        String string(String name) {
            JsonElement e = required(name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrongKind(name, "a string", e);
            }
            return e.getAsString();
        }

        int integer(String name) {
            return integer(required(name), name);
        }

        boolean bool(String name) {
            JsonElement e = required(name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw wrongKind(name, "true or false", e);
            }
            return e.getAsBoolean();
        }

        int[] optionalInts(String name) {
            JsonElement e = root.get(name);
            if (e == null || e.isJsonNull()) {
                return null;
            }
            if (!e.isJsonArray()) {
                throw wrongKind(name, "an array of integers", e);
            }
            JsonArray a = e.getAsJsonArray();
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = integer(a.get(i), name + "[" + i + "]");
            }
            return out;
        }

        private int integer(JsonElement e, String field) {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                try {
                    return e.getAsBigDecimal().intValueExact();
                } catch (ArithmeticException | NumberFormatException notAnInt) {
                    // a fraction, out of int range, or a lenient NaN: reported below
                }
            }
            throw wrongKind(field, "an integer", e);
        }

        private IllegalArgumentException wrongKind(String field, String expected, JsonElement actual) {
            return new IllegalArgumentException(source + ": field '" + field + "' must be " + expected + ", not "
                    + actual);
        }

        HostTensor tensor(String name) {
            return parseTensor(required(name), name);
        }

        HostTensor optionalTensor(String name) {
            JsonElement e = root.get(name);
            return e == null || e.isJsonNull() ? null : parseTensor(e, name);
        }

        Map<String, HostTensor> tensors(String name) {
            Map<String, HostTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : required(name).getAsJsonObject().entrySet()) {
                out.put(e.getKey(), parseTensor(e.getValue(), name + "." + e.getKey()));
            }
            return out;
        }

        private HostTensor parseTensor(JsonElement e, String name) {
            try {
                JsonObject o = e.getAsJsonObject();
                JsonArray shapeJson = o.getAsJsonArray("shape");
                JsonArray dataJson = o.getAsJsonArray("data");
                int[] shape = new int[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsInt();
                }
                double[] data = new double[dataJson.size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = dataJson.get(i).getAsDouble();
                }
                return new HostTensor(shape, data);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' is malformed (expected "
                        + "{\"shape\": [...], \"data\": [...]}): " + ex.getMessage(), ex);
            }
        }
    }

    /** Every fixture of a folder, read eagerly (for tools). */
    public static List<GoldenFixture> readAll(Path folder) {
        List<GoldenFixture> out = new ArrayList<>();
        for (Path p : filesIn(folder)) {
            out.add(read(p));
        }
        return out;
    }
}
