package dev.unroll.conformance.recurrent;

import dev.unroll.cells.CellType;
import dev.unroll.cells.GruForm;
import dev.unroll.cells.RecurrentConfig;
import dev.unroll.conformance.recurrent.RandomCellCases.Batch;

import java.util.ArrayList;
import java.util.List;

/**
 * The random models the gradient and agreement checks run: every cell (GRU in both forms) in four settings
 * that together cover one and two layers, both directions, fixed and variable lengths (unsorted, with a
 * length-1 sequence), zero, given and learned initial states, with and without biases, and dropout between
 * layers with a fixed mask. Small enough for finite differences over every element.
 */
public final class CellScenarios {
    private CellScenarios() {
    }

    /** A cell and, for GRU, its form, named for check names. */
    public record CellVariant(String name, CellType cell, GruForm form) {
    }

    /** Every cell variant the stack supports. */
    public static List<CellVariant> variants() {
        return List.of(
                new CellVariant("rnn_tanh", CellType.RNN_TANH, GruForm.PYTORCH),
                new CellVariant("rnn_relu", CellType.RNN_RELU, GruForm.PYTORCH),
                new CellVariant("lstm", CellType.LSTM, GruForm.PYTORCH),
                new CellVariant("gru", CellType.GRU, GruForm.PYTORCH),
                new CellVariant("gru_original", CellType.GRU, GruForm.ORIGINAL));
    }

    /** The scenarios of every variant; names are stable, seeds derived from them. */
    public static List<CellCase> all() {
        List<CellCase> cases = new ArrayList<>();
        for (CellVariant v : variants()) {
            RecurrentConfig base = RecurrentConfig.of(v.cell(), 3, 3).withGruForm(v.form());
            cases.add(create(v.name() + " 1 layer uni fixed-length zero-state",
                    base, new Batch(4, 2, null, false), false));
            cases.add(create(v.name() + " 2 layers bidirectional variable-length given-state",
                    base.withLayers(2).withBidirectional(true), new Batch(5, 3, new int[] {3, 5, 1}, true), false));
            cases.add(create(v.name() + " 2 layers uni variable-length learned-state no-bias dropout",
                    base.withLayers(2).withBias(false).withLearnedInitialState(true).withDropout(0.3, 11),
                    new Batch(4, 3, new int[] {4, 2, 3}, false), true));
            cases.add(create(v.name() + " 1 layer bidirectional learned-state",
                    base.withBidirectional(true).withLearnedInitialState(true),
                    new Batch(3, 2, new int[] {2, 3}, false), false));
        }
        return cases;
    }

    private static CellCase create(String name, RecurrentConfig config, Batch batch, boolean training) {
        return RandomCellCases.create(name, config, batch, training, name.hashCode());
    }
}
