package dev.unroll.training.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a data file as strict UTF-8, so that every reader fails the same way: a missing file, bytes that
 * are not UTF-8 (with the line they are on), and a file with nothing but whitespace each give a
 * {@link DataFormatException} naming the file.
 */
final class DataLines {
    private DataLines() {
    }

    /** The whole file as text, with a byte-order mark removed. */
    static String readText(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String text = decodeStrictly(file, bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new DataFormatException(file, "the file is empty (it has no data, only "
                    + (text.isEmpty() ? "zero bytes" : "whitespace") + ")");
        }
        return text;
    }

    /** The file's lines without their line terminators ({@code \n} or {@code \r\n}). */
    static List<String> readLines(Path file) {
        return readText(file).lines().toList();
    }

    private static String decodeStrictly(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            // The decoder stops at the bad byte: count the newlines before it to name the line.
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new DataFormatException(file, line, String.format(
                    "expected UTF-8 text but found an invalid byte 0x%02x", bytes[in.position()] & 0xff));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }
}
