package dev.unroll.cli.launcher;

import dev.unroll.benchmarks.BenchCommand;
import dev.unroll.cli.backends.BackendsCommand;
import dev.unroll.cli.conformance.ConformanceCommand;
import dev.unroll.cli.demo.DemoCommand;
import dev.unroll.cli.eval.EvalCommand;
import dev.unroll.cli.generate.GenerateCommand;
import dev.unroll.cli.train.TrainCommand;
import dev.unroll.cli.translate.TranslateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code unroll} command: the entry point of the executable jar. Each subcommand is its own class; this
 * one only wires them and decides how errors look (see {@link UserErrorHandler}).
 */
@Command(name = "unroll", mixinStandardHelpOptions = true, versionProvider = UnrollVersion.class,
        description = "Recurrent sequence models (RNN, LSTM, GRU) on pluggable compute backends.",
        subcommands = {
                DemoCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                GenerateCommand.class,
                TranslateCommand.class,
                BackendsCommand.class,
                ConformanceCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class UnrollCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // `unroll` alone: show what there is to run, and fail like any other missing argument.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The configured command line; tests call {@code execute} on it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new UnrollCli());
        // BenchCommand is also the benchmarks jar's main command, named unroll-bench there; here it is `bench`,
        // and its usage line must say so
        CommandLine bench = new CommandLine(new BenchCommand());
        bench.getCommandSpec().name("bench");
        cli.addSubcommand("bench", bench);
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        cli.setParameterExceptionHandler(new BadOptionHandler());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
