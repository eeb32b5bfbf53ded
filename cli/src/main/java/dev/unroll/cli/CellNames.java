package dev.unroll.cli;

import dev.unroll.cells.CellType;
import java.util.Locale;
import picocli.CommandLine;

/** Reads a cell name on the command line: {@code rnn} (tanh), {@code rnn_tanh}, {@code rnn_relu}, {@code lstm}, {@code gru}. */
public final class CellNames implements CommandLine.ITypeConverter<CellType> {

    public static CellType parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return wanted.equals("rnn") ? CellType.RNN_TANH : CellType.fromId(wanted);
    }

    /** The short name the CLI shows: {@code rnn} for the tanh RNN, else the cell's id. */
    public static String shortName(CellType cell) {
        return cell == CellType.RNN_TANH ? "rnn" : cell.id();
    }

    @Override
    public CellType convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage() + " (or rnn for rnn_tanh)");
        }
    }
}
