package dev.unroll.cli.demo;

import java.util.List;

/** The demo's results, as written to JSON: the settings, the baseline and one result per cell. */
record DemoReport(String backend, DemoSettings settings, double meanPredictorMse, double solvedBelowMse,
                  List<CellResult> results) {
}
