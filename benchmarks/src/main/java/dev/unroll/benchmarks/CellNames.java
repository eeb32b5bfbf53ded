package dev.unroll.benchmarks;

import dev.unroll.cells.CellType;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads a cell name on the command line: {@code rnn} (tanh), {@code rnn_tanh}, {@code rnn_relu}, {@code lstm},
 * {@code gru}. The one parser of both command lines, {@code unroll-bench} and {@code unroll}: it lives here because
 * this is the lowest module both reach that has picocli ({@code cells}' {@link CellType} knows only the ids).
 */
public final class CellNames implements CommandLine.ITypeConverter<CellType> {

    public static CellType parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("rnn")) {
            return CellType.RNN_TANH;
        }
        try {
            return CellType.fromId(wanted);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (or rnn for rnn_tanh)", e);
        }
    }

    /** The short name the command lines show: {@code rnn} for the tanh RNN, else the cell's id. */
    public static String shortName(CellType cell) {
        return cell == CellType.RNN_TANH ? "rnn" : cell.id();
    }

    /** Picocli's converter: an unknown cell is a bad option (usage and exit code 2). */
    @Override
    public CellType convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
