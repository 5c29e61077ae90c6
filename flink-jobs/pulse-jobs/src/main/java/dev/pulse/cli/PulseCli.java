package dev.pulse.cli;

import dev.pulse.dashboards.DashboardsCommand;
import dev.pulse.export.ExportCommand;
import dev.pulse.generator.GenerateCommand;
import dev.pulse.importer.ImportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of the job jar: {@code run} (the metrics job against Kafka), {@code replay},
 * {@code generate}, {@code export}, {@code import} and {@code dashboards}. The local runtime (pulse-local) adds {@code demo}.
 */
@Command(name = "pulse", mixinStandardHelpOptions = true, version = "Pulse 0.1.0",
        description = "Real-time e-commerce metrics on Apache Flink.")
public class PulseCli {

    /** The command tree of this jar; the local runtime adds its commands to it. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PulseCli());
        cli.addSubcommand(new RunCommand());
        cli.addSubcommand(new ReplayCommand());
        cli.addSubcommand(new ExportCommand());
        cli.addSubcommand(new GenerateCommand());
        cli.addSubcommand(new ImportCommand());
        cli.addSubcommand(new DashboardsCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a clear one-line reason for the user, not a stack trace (the root's handler serves every command)
            commandLine.getErr().println("pulse " + commandLine.getCommandName() + ": " + e.getMessage());
            return 2;
        });
        return cli;
    }

    public static void main(String[] args) {
        exit(commandLine().execute(args));
    }

    /**
     * Exits only on failure: under Flink's application mode main runs inside the JobManager, which an exit
     * on success would stop.
     */
    public static void exit(int code) {
        if (code != 0) {
            System.exit(code);
        }
    }
}
