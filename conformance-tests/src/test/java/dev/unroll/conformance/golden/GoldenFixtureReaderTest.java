package dev.unroll.conformance.golden;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.cells.CellType;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.conformance.HostTensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled fixtures are complete and consistent, and the reader names what is wrong with a bad file. */
class GoldenFixtureReaderTest {

    @Test
    void indexListsExactlyTheBundledFiles() throws IOException {
        Path folder = Path.of("src/main/resources/dev/unroll/conformance/golden");
        List<String> onDisk;
        try (Stream<Path> files = Files.list(folder)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
        assertEquals(onDisk, GoldenFixtureReader.bundledNames());
    }

    @Test
    void everyBundledFixtureIsConsistentWithItsConfiguration() {
        for (String file : GoldenFixtureReader.bundledNames()) {
            GoldenFixture f = GoldenFixtureReader.bundled(file);
            RecurrentConfig c = f.config();
            int steps = f.steps();
            int batch = f.batch();
            int hidden = f.hiddenSize();
            int stateLayers = c.stateLayers();
            assertArrayEquals(new int[] {steps, batch, f.inputSize()}, f.x().shape(), file + " x");
            assertArrayEquals(new int[] {steps, batch, c.outputSize()}, f.y().shape(), file + " y");
            assertArrayEquals(new int[] {stateLayers, batch, hidden}, f.hN().shape(), file + " h_n");
            assertArrayEquals(f.y().shape(), f.dy().shape(), file + " dy");
            assertEquals(f.cell() == CellType.LSTM, f.cN() != null, file + " c_n only for LSTM");
            assertEquals(f.cell() == CellType.LSTM, f.dcN() != null, file + " dc_n only for LSTM");
            assertEquals(f.h0() != null, f.grads().containsKey("h0"), file + " grad h0 iff h0");
            assertNotNull(f.grads().get("x"), file + " grad x");
            int gateRows = f.cell().gateCount() * hidden;
            int expectedParams = 0;
            for (int layer = 0; layer < f.numLayers(); layer++) {
                for (int d = 0; d < c.directions(); d++) {
                    String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                    assertShape(f, "weight_ih" + suffix, gateRows, c.layerInputSize(layer));
                    assertShape(f, "weight_hh" + suffix, gateRows, hidden);
                    expectedParams += 2;
                    if (f.bias()) {
                        assertShape(f, "bias_ih" + suffix, gateRows);
                        assertShape(f, "bias_hh" + suffix, gateRows);
                        expectedParams += 2;
                    }
                }
            }
            assertEquals(expectedParams, f.params().size(), file + " parameter count");
            if (f.lengths() != null) {
                assertEquals(batch, f.lengths().length, file + " lengths");
                assertZeroPastLengths(f);
            }
        }
    }

    private static void assertShape(GoldenFixture f, String name, int... shape) {
        HostTensor p = f.params().get(name);
        assertNotNull(p, f.name() + " has no parameter " + name);
        assertArrayEquals(shape, p.shape(), f.name() + " " + name);
        assertArrayEquals(shape, f.grads().get(name).shape(), f.name() + " grad " + name);
    }

    private static void assertZeroPastLengths(GoldenFixture f) {
        int width = f.y().cols();
        for (int t = 0; t < f.steps(); t++) {
            for (int b = 0; b < f.batch(); b++) {
                if (t >= f.lengths()[b]) {
                    for (int j = 0; j < width; j++) {
                        assertEquals(0.0, f.y().values()[(t * f.batch() + b) * width + j], f.name() + " y past length");
                    }
                }
            }
        }
    }

    @Test
    void readsOptionalPartsAsNull() {
        GoldenFixture f = GoldenFixtureReader.read(new StringReader(minimal("")), "mini.json");
        assertEquals(CellType.RNN_TANH, f.cell());
        assertNull(f.lengths());
        assertNull(f.h0());
        assertNull(f.cN());
        assertArrayEquals(new double[] {0.5}, f.x().values());
    }

    @Test
    void namesTheFileAndFieldThatIsWrong() {
        String noY = minimal("").replace("\"y\":{\"shape\":[1,1,1],\"data\":[0.25]},", "");
        assertEquals("mini.json: required field 'y' is missing",
                assertThrows(IllegalArgumentException.class,
                        () -> GoldenFixtureReader.read(new StringReader(noY), "mini.json")).getMessage());
        String wrongFormat = minimal("").replace("rnn-golden/1", "rnn-golden/9");
        assertEquals("mini.json: format is 'rnn-golden/9', expected 'rnn-golden/1'",
                assertThrows(IllegalArgumentException.class,
                        () -> GoldenFixtureReader.read(new StringReader(wrongFormat), "mini.json")).getMessage());
        String badTensor = minimal("").replace("\"data\":[0.5]", "\"data\":[0.5, 1.5]");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GoldenFixtureReader.read(new StringReader(badTensor), "mini.json")).getMessage()
                .startsWith("mini.json: tensor 'x' is malformed"));
    }

    @Test
    void aFieldOfTheWrongJsonKindIsNamedInsteadOfReadAsSomethingElse() {
        // Gson alone reads "yes" and 1 as false and 1.5 as 1, and throws a bare NumberFormatException for "two"
        String ok = minimal("");
        assertWrongKind(ok.replace("\"bidirectional\":false", "\"bidirectional\":\"yes\""), "bidirectional");
        assertWrongKind(ok.replace("\"bias\":false", "\"bias\":1"), "bias");
        assertWrongKind(ok.replace("\"num_layers\":1", "\"num_layers\":\"two\""), "num_layers");
        assertWrongKind(ok.replace("\"T\":1", "\"T\":1.5"), "T");
        assertWrongKind(ok.replace("\"cell\":\"rnn_tanh\"", "\"cell\":[\"rnn_tanh\"]"), "cell");
        assertWrongKind(minimal(",\"lengths\":[\"one\"]"), "lengths[0]");
        assertWrongKind(minimal(",\"lengths\":1"), "lengths");
    }

    private static void assertWrongKind(String json, String field) {
        String message = assertThrows(IllegalArgumentException.class,
                () -> GoldenFixtureReader.read(new StringReader(json), "mini.json")).getMessage();
        assertTrue(message.startsWith("mini.json: field '" + field + "' must be "), message);
    }

    @Test
    void parametersAndGradientsKeepTheFileOrder() throws IOException {
        String file = "lstm_l2_bi_var_h0_bias.json";
        JsonObject root;
        try (Reader reader = new InputStreamReader(GoldenFixtureReader.class.getResourceAsStream(
                GoldenFixtureReader.RESOURCE_FOLDER + file), StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        }
        GoldenFixture f = GoldenFixtureReader.bundled(file);
        // GoldenChecks reports the first failing gradient in this order
        assertEquals(List.copyOf(root.getAsJsonObject("params").keySet()), List.copyOf(f.params().keySet()));
        assertEquals(List.copyOf(root.getAsJsonObject("grads").keySet()), List.copyOf(f.grads().keySet()));
    }

    /** A one-step, one-unit tanh RNN fixture (values arbitrary: only the reader is tested). */
    private static String minimal(String extra) {
        String scalar3 = "{\"shape\":[1,1,1],\"data\":[0.25]}";
        String matrix = "{\"shape\":[1,1],\"data\":[0.1]}";
        return "{\"format\":\"rnn-golden/1\",\"name\":\"mini\",\"cell\":\"rnn_tanh\",\"num_layers\":1,"
                + "\"bidirectional\":false,\"bias\":false,\"T\":1,\"B\":1,\"input_size\":1,\"hidden_size\":1,"
                + "\"params\":{\"weight_ih_l0\":" + matrix + ",\"weight_hh_l0\":" + matrix + "},"
                + "\"x\":{\"shape\":[1,1,1],\"data\":[0.5]},"
                + "\"y\":" + scalar3 + ",\"h_n\":" + scalar3 + ",\"dy\":" + scalar3 + ",\"dh_n\":" + scalar3 + ","
                + "\"grads\":{\"x\":" + scalar3 + "}" + extra + "}";
    }
}
